// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface RebuildFeaturesRequest {
  tenantId?: string;
  since?: _google_protobuf_Timestamp | null;
}

export interface RebuildFeaturesRequest__Output {
  tenantId: string;
  since: _google_protobuf_Timestamp__Output | null;
}
