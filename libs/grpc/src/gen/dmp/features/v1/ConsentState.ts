// Original file: ../../protos/dmp/features/v1/profile_service.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface ConsentState {
  purpose?: string;
  granted?: boolean;
  source?: string;
  statedAt?: _google_protobuf_Timestamp | null;
}

export interface ConsentState__Output {
  purpose: string;
  granted: boolean;
  source: string;
  statedAt: _google_protobuf_Timestamp__Output | null;
}
