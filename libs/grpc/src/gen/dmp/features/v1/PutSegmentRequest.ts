// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface PutSegmentRequest {
  tenantId?: string;
  segmentJson?: string;
}

export interface PutSegmentRequest__Output {
  tenantId: string;
  segmentJson: string;
}
