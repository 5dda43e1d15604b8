// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface GetContactPolicyResponse {
  policyJson?: string;
}

export interface GetContactPolicyResponse__Output {
  policyJson: string;
}
