// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface CampaignVerdict {
  campaignId?: string;
  verdict?: string;
  detail?: string;
  score?: number | string;
  _score?: 'score';
}

export interface CampaignVerdict__Output {
  campaignId: string;
  verdict: string;
  detail: string;
  score?: number;
  _score?: 'score';
}
