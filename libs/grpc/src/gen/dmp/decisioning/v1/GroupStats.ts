// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

import type { Long } from '@grpc/proto-loader';

export interface GroupStats {
  exposed?: number | string | Long;
  converted?: number | string | Long;
}

export interface GroupStats__Output {
  exposed: string;
  converted: string;
}
