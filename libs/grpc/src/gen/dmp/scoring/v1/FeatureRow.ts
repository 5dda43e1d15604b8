// Original file: ../../protos/dmp/scoring/v1/scoring_service.proto

export interface FeatureRow {
  values?: (number | string)[];
}

export interface FeatureRow__Output {
  values: number[];
}
