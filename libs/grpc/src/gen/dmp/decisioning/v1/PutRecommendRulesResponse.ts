// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export interface PutRecommendRulesResponse {
  rulesJson?: string;
}

export interface PutRecommendRulesResponse__Output {
  rulesJson: string;
}
