// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type { Long } from '@grpc/proto-loader';

export interface SegmentSizeResponse {
  size?: number | string | Long;
}

export interface SegmentSizeResponse__Output {
  size: string;
}
