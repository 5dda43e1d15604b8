// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface ListMembersRequest {
  tenantId?: string;
  segmentId?: string;
  pageSize?: number;
}

export interface ListMembersRequest__Output {
  tenantId: string;
  segmentId: string;
  pageSize: number;
}
