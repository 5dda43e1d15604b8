// Original file: ../../protos/dmp/access/v1/access_service.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface CreateApiKeyRequest {
  tenantId?: string;
  name?: string;
  kind?: string;
  scopes?: string[];
  expiresAt?: _google_protobuf_Timestamp | null;
  allowedOrigins?: string[];
  eventsPerSecond?: number;
  requestsPerSecond?: number;
}

export interface CreateApiKeyRequest__Output {
  tenantId: string;
  name: string;
  kind: string;
  scopes: string[];
  expiresAt: _google_protobuf_Timestamp__Output | null;
  allowedOrigins: string[];
  eventsPerSecond: number;
  requestsPerSecond: number;
}
