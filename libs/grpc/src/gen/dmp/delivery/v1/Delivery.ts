// Original file: ../../protos/dmp/delivery/v1/delivery.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface Delivery {
  idempotencyKey?: string;
  tenantId?: string;
  subjectId?: string;
  campaignId?: string;
  campaignVersion?: number;
  creativeId?: string;
  channel?: string;
  decisionId?: string;
  triggerEventId?: string;
  triggerEventType?: string;
  notBefore?: _google_protobuf_Timestamp | null;
  decidedAt?: _google_protobuf_Timestamp | null;
}

export interface Delivery__Output {
  idempotencyKey: string;
  tenantId: string;
  subjectId: string;
  campaignId: string;
  campaignVersion: number;
  creativeId: string;
  channel: string;
  decisionId: string;
  triggerEventId: string;
  triggerEventType: string;
  notBefore: _google_protobuf_Timestamp__Output | null;
  decidedAt: _google_protobuf_Timestamp__Output | null;
}
