// Original file: ../../protos/dmp/access/v1/access_service.proto

export interface ListApiKeysRequest {
  tenantId?: string;
}

export interface ListApiKeysRequest__Output {
  tenantId: string;
}
