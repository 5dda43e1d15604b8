// Original file: ../../protos/dmp/access/v1/access_service.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface ApiKey {
  id?: string;
  tenantId?: string;
  kind?: string;
  scopes?: string[];
  name?: string;
  createdAt?: _google_protobuf_Timestamp | null;
  createdBy?: string;
  expiresAt?: _google_protobuf_Timestamp | null;
  revokedAt?: _google_protobuf_Timestamp | null;
  allowedOrigins?: string[];
  eventsPerSecond?: number;
  requestsPerSecond?: number;
}

export interface ApiKey__Output {
  id: string;
  tenantId: string;
  kind: string;
  scopes: string[];
  name: string;
  createdAt: _google_protobuf_Timestamp__Output | null;
  createdBy: string;
  expiresAt: _google_protobuf_Timestamp__Output | null;
  revokedAt: _google_protobuf_Timestamp__Output | null;
  allowedOrigins: string[];
  eventsPerSecond: number;
  requestsPerSecond: number;
}
