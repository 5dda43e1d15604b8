// Original file: ../../protos/dmp/access/v1/access_service.proto

export interface RevokeApiKeyRequest {
  tenantId?: string;
  keyId?: string;
}

export interface RevokeApiKeyRequest__Output {
  tenantId: string;
  keyId: string;
}
