import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { App as _dmp_events_v1_App, App__Output as _dmp_events_v1_App__Output } from './dmp/events/v1/App';
import type {
  Device as _dmp_events_v1_Device,
  Device__Output as _dmp_events_v1_Device__Output,
} from './dmp/events/v1/Device';
import type {
  Event as _dmp_events_v1_Event,
  Event__Output as _dmp_events_v1_Event__Output,
} from './dmp/events/v1/Event';
import type {
  EventContext as _dmp_events_v1_EventContext,
  EventContext__Output as _dmp_events_v1_EventContext__Output,
} from './dmp/events/v1/EventContext';
import type { Geo as _dmp_events_v1_Geo, Geo__Output as _dmp_events_v1_Geo__Output } from './dmp/events/v1/Geo';
import type {
  Identities as _dmp_events_v1_Identities,
  Identities__Output as _dmp_events_v1_Identities__Output,
} from './dmp/events/v1/Identities';
import type {
  PropertyValue as _dmp_events_v1_PropertyValue,
  PropertyValue__Output as _dmp_events_v1_PropertyValue__Output,
} from './dmp/events/v1/PropertyValue';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    events: {
      v1: {
        App: MessageTypeDefinition<_dmp_events_v1_App, _dmp_events_v1_App__Output>;
        Device: MessageTypeDefinition<_dmp_events_v1_Device, _dmp_events_v1_Device__Output>;
        Event: MessageTypeDefinition<_dmp_events_v1_Event, _dmp_events_v1_Event__Output>;
        EventContext: MessageTypeDefinition<_dmp_events_v1_EventContext, _dmp_events_v1_EventContext__Output>;
        Geo: MessageTypeDefinition<_dmp_events_v1_Geo, _dmp_events_v1_Geo__Output>;
        Identities: MessageTypeDefinition<_dmp_events_v1_Identities, _dmp_events_v1_Identities__Output>;
        PropertyValue: MessageTypeDefinition<_dmp_events_v1_PropertyValue, _dmp_events_v1_PropertyValue__Output>;
      };
    };
  };
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
    };
  };
}
