// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface ListMembersResponse {
  subjectIds?: string[];
  excludedWithoutConsent?: number;
}

export interface ListMembersResponse__Output {
  subjectIds: string[];
  excludedWithoutConsent: number;
}
