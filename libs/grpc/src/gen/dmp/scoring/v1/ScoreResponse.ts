// Original file: ../../protos/dmp/scoring/v1/scoring_service.proto

export interface ScoreResponse {
  scores?: (number | string)[];
  modelName?: string;
  modelVersion?: string;
}

export interface ScoreResponse__Output {
  scores: number[];
  modelName: string;
  modelVersion: string;
}
