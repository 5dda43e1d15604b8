// Original file: ../../protos/dmp/access/v1/access_service.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface CreateTenantResponse {
  tenantId?: string;
  createdAt?: _google_protobuf_Timestamp | null;
}

export interface CreateTenantResponse__Output {
  tenantId: string;
  createdAt: _google_protobuf_Timestamp__Output | null;
}
