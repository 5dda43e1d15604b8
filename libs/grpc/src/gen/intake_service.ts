import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  Event as _dmp_events_v1_Event,
  Event__Output as _dmp_events_v1_Event__Output,
} from './dmp/events/v1/Event';
import type {
  EventContext as _dmp_events_v1_EventContext,
  EventContext__Output as _dmp_events_v1_EventContext__Output,
} from './dmp/events/v1/EventContext';
import type {
  Identities as _dmp_events_v1_Identities,
  Identities__Output as _dmp_events_v1_Identities__Output,
} from './dmp/events/v1/Identities';
import type {
  PropertyValue as _dmp_events_v1_PropertyValue,
  PropertyValue__Output as _dmp_events_v1_PropertyValue__Output,
} from './dmp/events/v1/PropertyValue';
import type {
  EventResult as _dmp_intake_v1_EventResult,
  EventResult__Output as _dmp_intake_v1_EventResult__Output,
} from './dmp/intake/v1/EventResult';
import type {
  IngestRequest as _dmp_intake_v1_IngestRequest,
  IngestRequest__Output as _dmp_intake_v1_IngestRequest__Output,
} from './dmp/intake/v1/IngestRequest';
import type {
  IngestResponse as _dmp_intake_v1_IngestResponse,
  IngestResponse__Output as _dmp_intake_v1_IngestResponse__Output,
} from './dmp/intake/v1/IngestResponse';
import type {
  IntakeServiceClient as _dmp_intake_v1_IntakeServiceClient,
  IntakeServiceDefinition as _dmp_intake_v1_IntakeServiceDefinition,
} from './dmp/intake/v1/IntakeService';
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
        Event: MessageTypeDefinition<_dmp_events_v1_Event, _dmp_events_v1_Event__Output>;
        EventContext: MessageTypeDefinition<_dmp_events_v1_EventContext, _dmp_events_v1_EventContext__Output>;
        Identities: MessageTypeDefinition<_dmp_events_v1_Identities, _dmp_events_v1_Identities__Output>;
        PropertyValue: MessageTypeDefinition<_dmp_events_v1_PropertyValue, _dmp_events_v1_PropertyValue__Output>;
      };
    };
    intake: {
      v1: {
        EventResult: MessageTypeDefinition<_dmp_intake_v1_EventResult, _dmp_intake_v1_EventResult__Output>;
        EventStatus: EnumTypeDefinition;
        IngestRequest: MessageTypeDefinition<_dmp_intake_v1_IngestRequest, _dmp_intake_v1_IngestRequest__Output>;
        IngestResponse: MessageTypeDefinition<_dmp_intake_v1_IngestResponse, _dmp_intake_v1_IngestResponse__Output>;
        IntakeService: SubtypeConstructor<typeof grpc.Client, _dmp_intake_v1_IntakeServiceClient> & {
          service: _dmp_intake_v1_IntakeServiceDefinition;
        };
      };
    };
  };
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
    };
  };
}
