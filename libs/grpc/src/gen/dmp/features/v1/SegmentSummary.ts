// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type { Long } from '@grpc/proto-loader';

export interface SegmentSummary {
  segmentJson?: string;
  size?: number | string | Long;
}

export interface SegmentSummary__Output {
  segmentJson: string;
  size: string;
}
