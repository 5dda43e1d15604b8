// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

import type { Long } from '@grpc/proto-loader';

export interface CreativeStats {
  creativeId?: string;
  decisions?: number | string | Long;
  impressions?: number | string | Long;
  clicks?: number | string | Long;
  conversions?: number | string | Long;
}

export interface CreativeStats__Output {
  creativeId: string;
  decisions: string;
  impressions: string;
  clicks: string;
  conversions: string;
}
