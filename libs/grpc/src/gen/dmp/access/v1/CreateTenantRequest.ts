// Original file: ../../protos/dmp/access/v1/access_service.proto

export interface CreateTenantRequest {
  tenantId?: string;
  displayName?: string;
  eventsPerSecond?: number;
  serveRequestsPerSecond?: number;
  ingestRequestsPerSecond?: number;
}

export interface CreateTenantRequest__Output {
  tenantId: string;
  displayName: string;
  eventsPerSecond: number;
  serveRequestsPerSecond: number;
  ingestRequestsPerSecond: number;
}
