// Original file: ../../protos/dmp/features/v1/profile_service.proto

export interface ResolveProfileRequest {
  tenantId?: string;
  identifier?: string;
}

export interface ResolveProfileRequest__Output {
  tenantId: string;
  identifier: string;
}
