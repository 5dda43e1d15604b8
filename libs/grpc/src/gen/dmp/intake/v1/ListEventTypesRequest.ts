// Original file: ../../protos/dmp/intake/v1/intake_service.proto

export interface ListEventTypesRequest {
  tenantId?: string;
}

export interface ListEventTypesRequest__Output {
  tenantId: string;
}
