// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface SetCampaignStatusRequest {
  tenantId?: string;
  campaignId?: string;
  status?: string;
}

export interface SetCampaignStatusRequest__Output {
  tenantId: string;
  campaignId: string;
  status: string;
}
