// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface PutFeatureSetRequest {
  tenantId?: string;
  featureSetJson?: string;
}

export interface PutFeatureSetRequest__Output {
  tenantId: string;
  featureSetJson: string;
}
