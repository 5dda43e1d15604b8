// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

import type {
  CampaignVerdict as _dmp_decisioning_v1_CampaignVerdict,
  CampaignVerdict__Output as _dmp_decisioning_v1_CampaignVerdict__Output,
} from '../../../dmp/decisioning/v1/CampaignVerdict';

export interface ExplainDecisionResponse {
  verdicts?: _dmp_decisioning_v1_CampaignVerdict[];
  contextualOnly?: boolean;
}

export interface ExplainDecisionResponse__Output {
  verdicts: _dmp_decisioning_v1_CampaignVerdict__Output[];
  contextualOnly: boolean;
}
