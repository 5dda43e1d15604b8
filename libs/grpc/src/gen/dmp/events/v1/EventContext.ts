// Original file: ../../protos/dmp/events/v1/event.proto

import type { Geo as _dmp_events_v1_Geo, Geo__Output as _dmp_events_v1_Geo__Output } from '../../../dmp/events/v1/Geo';
import type {
  Device as _dmp_events_v1_Device,
  Device__Output as _dmp_events_v1_Device__Output,
} from '../../../dmp/events/v1/Device';
import type { App as _dmp_events_v1_App, App__Output as _dmp_events_v1_App__Output } from '../../../dmp/events/v1/App';

export interface EventContext {
  channel?: string;
  placement?: string;
  pageCategory?: string;
  geo?: _dmp_events_v1_Geo | null;
  device?: _dmp_events_v1_Device | null;
  app?: _dmp_events_v1_App | null;
}

export interface EventContext__Output {
  channel: string;
  placement: string;
  pageCategory: string;
  geo: _dmp_events_v1_Geo__Output | null;
  device: _dmp_events_v1_Device__Output | null;
  app: _dmp_events_v1_App__Output | null;
}
