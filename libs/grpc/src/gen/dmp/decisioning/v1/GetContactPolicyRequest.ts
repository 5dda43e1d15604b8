// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

export interface GetContactPolicyRequest {
  tenantId?: string;
}

export interface GetContactPolicyRequest__Output {
  tenantId: string;
}
