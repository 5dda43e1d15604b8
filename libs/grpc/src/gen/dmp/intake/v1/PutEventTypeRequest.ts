// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type {
  EventType as _dmp_intake_v1_EventType,
  EventType__Output as _dmp_intake_v1_EventType__Output,
} from '../../../dmp/intake/v1/EventType';

export interface PutEventTypeRequest {
  eventType?: _dmp_intake_v1_EventType | null;
}

export interface PutEventTypeRequest__Output {
  eventType: _dmp_intake_v1_EventType__Output | null;
}
