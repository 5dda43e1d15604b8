// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface GetCampaignStatsRequest {
  tenantId?: string;
  campaignId?: string;
  fromDate?: string;
  toDate?: string;
}

export interface GetCampaignStatsRequest__Output {
  tenantId: string;
  campaignId: string;
  fromDate: string;
  toDate: string;
}
