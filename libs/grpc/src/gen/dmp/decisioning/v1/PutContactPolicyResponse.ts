// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface PutContactPolicyResponse {
  policyJson?: string;
}

export interface PutContactPolicyResponse__Output {
  policyJson: string;
}
