// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

import type {
  CreativeStats as _dmp_decisioning_v1_CreativeStats,
  CreativeStats__Output as _dmp_decisioning_v1_CreativeStats__Output,
} from '../../../dmp/decisioning/v1/CreativeStats';
import type {
  GroupStats as _dmp_decisioning_v1_GroupStats,
  GroupStats__Output as _dmp_decisioning_v1_GroupStats__Output,
} from '../../../dmp/decisioning/v1/GroupStats';
import type { Long } from '@grpc/proto-loader';

export interface GetCampaignStatsResponse {
  creatives?: _dmp_decisioning_v1_CreativeStats[];
  holdoutDecisions?: number | string | Long;
  refused?: { [key: string]: number | string | Long };
  spendTotal?: number | string | Long;
  treated?: _dmp_decisioning_v1_GroupStats | null;
  holdout?: _dmp_decisioning_v1_GroupStats | null;
  lift?: number | string;
  _lift?: 'lift';
}

export interface GetCampaignStatsResponse__Output {
  creatives: _dmp_decisioning_v1_CreativeStats__Output[];
  holdoutDecisions: string;
  refused: { [key: string]: string };
  spendTotal: string;
  treated: _dmp_decisioning_v1_GroupStats__Output | null;
  holdout: _dmp_decisioning_v1_GroupStats__Output | null;
  lift?: number;
  _lift?: 'lift';
}
