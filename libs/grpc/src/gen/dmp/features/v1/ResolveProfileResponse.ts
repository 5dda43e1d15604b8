// Original file: ../../protos/dmp/features/v1/profile_service.proto

export interface ResolveProfileResponse {
  profileId?: string;
  identifiers?: string[];
}

export interface ResolveProfileResponse__Output {
  profileId: string;
  identifiers: string[];
}
