// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface PutSegmentResponse {
  segmentJson?: string;
}

export interface PutSegmentResponse__Output {
  segmentJson: string;
}
