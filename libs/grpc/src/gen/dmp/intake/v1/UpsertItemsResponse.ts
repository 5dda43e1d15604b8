// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type {
  EventResult as _dmp_intake_v1_EventResult,
  EventResult__Output as _dmp_intake_v1_EventResult__Output,
} from '../../../dmp/intake/v1/EventResult';

export interface UpsertItemsResponse {
  results?: _dmp_intake_v1_EventResult[];
}

export interface UpsertItemsResponse__Output {
  results: _dmp_intake_v1_EventResult__Output[];
}
