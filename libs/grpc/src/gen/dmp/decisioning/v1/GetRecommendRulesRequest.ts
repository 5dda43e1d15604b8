// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export interface GetRecommendRulesRequest {
  tenantId?: string;
}

export interface GetRecommendRulesRequest__Output {
  tenantId: string;
}
