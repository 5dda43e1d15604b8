// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface PutCampaignResponse {
  campaignJson?: string;
}

export interface PutCampaignResponse__Output {
  campaignJson: string;
}
