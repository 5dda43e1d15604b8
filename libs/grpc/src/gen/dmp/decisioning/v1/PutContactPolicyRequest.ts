// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface PutContactPolicyRequest {
  tenantId?: string;
  policyJson?: string;
}

export interface PutContactPolicyRequest__Output {
  tenantId: string;
  policyJson: string;
}
