// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface GetSegmentsResponse {
  segmentIds?: string[];
}

export interface GetSegmentsResponse__Output {
  segmentIds: string[];
}
