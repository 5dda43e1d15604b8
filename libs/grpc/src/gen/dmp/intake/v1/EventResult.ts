// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type {
  EventStatus as _dmp_intake_v1_EventStatus,
  EventStatus__Output as _dmp_intake_v1_EventStatus__Output,
} from '../../../dmp/intake/v1/EventStatus';

export interface EventResult {
  eventId?: string;
  status?: _dmp_intake_v1_EventStatus;
  field?: string;
  reason?: string;
  rule?: string;
}

export interface EventResult__Output {
  eventId: string;
  status: _dmp_intake_v1_EventStatus__Output;
  field: string;
  reason: string;
  rule: string;
}
