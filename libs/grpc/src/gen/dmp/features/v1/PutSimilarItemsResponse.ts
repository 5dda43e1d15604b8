// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface PutSimilarItemsResponse {
  itemsWritten?: number;
}

export interface PutSimilarItemsResponse__Output {
  itemsWritten: number;
}
