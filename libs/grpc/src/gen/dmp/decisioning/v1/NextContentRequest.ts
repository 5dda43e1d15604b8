// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export interface NextContentRequest {
  tenantId?: string;
  userId?: string;
  currentItemId?: string;
  n?: number;
}

export interface NextContentRequest__Output {
  tenantId: string;
  userId: string;
  currentItemId: string;
  n: number;
}
