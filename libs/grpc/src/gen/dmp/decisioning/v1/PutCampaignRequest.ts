// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface PutCampaignRequest {
  tenantId?: string;
  campaignJson?: string;
  expectedVersion?: number;
}

export interface PutCampaignRequest__Output {
  tenantId: string;
  campaignJson: string;
  expectedVersion: number;
}
