// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface ListSegmentsRequest {
  tenantId?: string;
}

export interface ListSegmentsRequest__Output {
  tenantId: string;
}
