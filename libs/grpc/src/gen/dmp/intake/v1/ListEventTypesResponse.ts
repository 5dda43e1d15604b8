// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type {
  EventType as _dmp_intake_v1_EventType,
  EventType__Output as _dmp_intake_v1_EventType__Output,
} from '../../../dmp/intake/v1/EventType';

export interface ListEventTypesResponse {
  eventTypes?: _dmp_intake_v1_EventType[];
}

export interface ListEventTypesResponse__Output {
  eventTypes: _dmp_intake_v1_EventType__Output[];
}
