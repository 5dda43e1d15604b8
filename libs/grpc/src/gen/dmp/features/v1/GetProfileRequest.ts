// Original file: ../../protos/dmp/features/v1/profile_service.proto

export interface GetProfileRequest {
  tenantId?: string;
  identifier?: string;
}

export interface GetProfileRequest__Output {
  tenantId: string;
  identifier: string;
}
