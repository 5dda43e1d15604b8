// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type {
  Event as _dmp_events_v1_Event,
  Event__Output as _dmp_events_v1_Event__Output,
} from '../../../dmp/events/v1/Event';

export interface IngestStreamRequest {
  tenantId?: string;
  events?: _dmp_events_v1_Event[];
}

export interface IngestStreamRequest__Output {
  tenantId: string;
  events: _dmp_events_v1_Event__Output[];
}
