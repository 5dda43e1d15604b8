// Original file: ../../protos/dmp/features/v1/profile_service.proto

export interface DeleteProfileRequest {
  tenantId?: string;
  identifier?: string;
  reason?: string;
}

export interface DeleteProfileRequest__Output {
  tenantId: string;
  identifier: string;
  reason: string;
}
