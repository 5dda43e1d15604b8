// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface GetCampaignResponse {
  campaignJson?: string;
}

export interface GetCampaignResponse__Output {
  campaignJson: string;
}
