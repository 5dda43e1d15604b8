// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export interface GetRecommendRulesResponse {
  rulesJson?: string;
}

export interface GetRecommendRulesResponse__Output {
  rulesJson: string;
}
