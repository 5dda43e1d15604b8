// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface GetCampaignRequest {
  tenantId?: string;
  campaignId?: string;
}

export interface GetCampaignRequest__Output {
  tenantId: string;
  campaignId: string;
}
