// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface SetCampaignStatusResponse {
  campaignJson?: string;
}

export interface SetCampaignStatusResponse__Output {
  campaignJson: string;
}
