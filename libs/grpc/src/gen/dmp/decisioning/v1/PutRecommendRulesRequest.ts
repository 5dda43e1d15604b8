// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export interface PutRecommendRulesRequest {
  tenantId?: string;
  rulesJson?: string;
}

export interface PutRecommendRulesRequest__Output {
  tenantId: string;
  rulesJson: string;
}
