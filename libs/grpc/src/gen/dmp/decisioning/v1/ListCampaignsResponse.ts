// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface ListCampaignsResponse {
  campaignJson?: string[];
}

export interface ListCampaignsResponse__Output {
  campaignJson: string[];
}
