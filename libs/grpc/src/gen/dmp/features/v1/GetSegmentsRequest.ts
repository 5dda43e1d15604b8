// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface GetSegmentsRequest {
  tenantId?: string;
  subjectId?: string;
}

export interface GetSegmentsRequest__Output {
  tenantId: string;
  subjectId: string;
}
