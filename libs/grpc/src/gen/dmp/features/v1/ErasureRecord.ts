// Original file: ../../protos/dmp/features/v1/profile_service.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface ErasureRecord {
  erasureId?: string;
  tenantId?: string;
  subjectTokens?: string[];
  reason?: string;
  erasedAt?: _google_protobuf_Timestamp | null;
  identifiers?: number;
  keysDeleted?: number;
  segmentsLeft?: number;
  messagesPurged?: { [key: string]: number | string | Long };
}

export interface ErasureRecord__Output {
  erasureId: string;
  tenantId: string;
  subjectTokens: string[];
  reason: string;
  erasedAt: _google_protobuf_Timestamp__Output | null;
  identifiers: number;
  keysDeleted: number;
  segmentsLeft: number;
  messagesPurged: { [key: string]: string };
}
