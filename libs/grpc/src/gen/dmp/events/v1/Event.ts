// Original file: ../../protos/dmp/events/v1/event.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';
import type {
  Identities as _dmp_events_v1_Identities,
  Identities__Output as _dmp_events_v1_Identities__Output,
} from '../../../dmp/events/v1/Identities';
import type {
  EventContext as _dmp_events_v1_EventContext,
  EventContext__Output as _dmp_events_v1_EventContext__Output,
} from '../../../dmp/events/v1/EventContext';
import type {
  PropertyValue as _dmp_events_v1_PropertyValue,
  PropertyValue__Output as _dmp_events_v1_PropertyValue__Output,
} from '../../../dmp/events/v1/PropertyValue';

export interface Event {
  eventId?: string;
  tenantId?: string;
  type?: string;
  occurredAt?: _google_protobuf_Timestamp | null;
  receivedAt?: _google_protobuf_Timestamp | null;
  identities?: _dmp_events_v1_Identities | null;
  itemIds?: string[];
  context?: _dmp_events_v1_EventContext | null;
  properties?: { [key: string]: _dmp_events_v1_PropertyValue };
}

export interface Event__Output {
  eventId: string;
  tenantId: string;
  type: string;
  occurredAt: _google_protobuf_Timestamp__Output | null;
  receivedAt: _google_protobuf_Timestamp__Output | null;
  identities: _dmp_events_v1_Identities__Output | null;
  itemIds: string[];
  context: _dmp_events_v1_EventContext__Output | null;
  properties: { [key: string]: _dmp_events_v1_PropertyValue__Output };
}
