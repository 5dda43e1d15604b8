// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type {
  EventResult as _dmp_intake_v1_EventResult,
  EventResult__Output as _dmp_intake_v1_EventResult__Output,
} from '../../../dmp/intake/v1/EventResult';
import type { Long } from '@grpc/proto-loader';

export interface IngestStreamResponse {
  acceptedCount?: number | string | Long;
  duplicateCount?: number | string | Long;
  rejectedCount?: number | string | Long;
  rejected?: _dmp_intake_v1_EventResult[];
}

export interface IngestStreamResponse__Output {
  acceptedCount: string;
  duplicateCount: string;
  rejectedCount: string;
  rejected: _dmp_intake_v1_EventResult__Output[];
}
