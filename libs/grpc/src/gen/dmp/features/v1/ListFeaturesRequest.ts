// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface ListFeaturesRequest {
  tenantId?: string;
}

export interface ListFeaturesRequest__Output {
  tenantId: string;
}
