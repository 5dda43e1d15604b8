// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface SegmentSizeRequest {
  tenantId?: string;
  segmentId?: string;
}

export interface SegmentSizeRequest__Output {
  tenantId: string;
  segmentId: string;
}
