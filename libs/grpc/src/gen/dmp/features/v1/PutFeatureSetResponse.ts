// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface PutFeatureSetResponse {
  version?: number;
  featureNames?: string[];
}

export interface PutFeatureSetResponse__Output {
  version: number;
  featureNames: string[];
}
