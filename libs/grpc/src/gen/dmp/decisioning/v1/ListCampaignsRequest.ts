// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface ListCampaignsRequest {
  tenantId?: string;
}

export interface ListCampaignsRequest__Output {
  tenantId: string;
}
