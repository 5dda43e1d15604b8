import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

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
  CatalogItem as _dmp_intake_v1_CatalogItem,
  CatalogItem__Output as _dmp_intake_v1_CatalogItem__Output,
} from './dmp/intake/v1/CatalogItem';
import type {
  EventResult as _dmp_intake_v1_EventResult,
  EventResult__Output as _dmp_intake_v1_EventResult__Output,
} from './dmp/intake/v1/EventResult';
import type {
  EventType as _dmp_intake_v1_EventType,
  EventType__Output as _dmp_intake_v1_EventType__Output,
} from './dmp/intake/v1/EventType';
import type {
  IngestRequest as _dmp_intake_v1_IngestRequest,
  IngestRequest__Output as _dmp_intake_v1_IngestRequest__Output,
} from './dmp/intake/v1/IngestRequest';
import type {
  IngestResponse as _dmp_intake_v1_IngestResponse,
  IngestResponse__Output as _dmp_intake_v1_IngestResponse__Output,
} from './dmp/intake/v1/IngestResponse';
import type {
  IngestStreamRequest as _dmp_intake_v1_IngestStreamRequest,
  IngestStreamRequest__Output as _dmp_intake_v1_IngestStreamRequest__Output,
} from './dmp/intake/v1/IngestStreamRequest';
import type {
  IngestStreamResponse as _dmp_intake_v1_IngestStreamResponse,
  IngestStreamResponse__Output as _dmp_intake_v1_IngestStreamResponse__Output,
} from './dmp/intake/v1/IngestStreamResponse';
import type {
  IntakeServiceClient as _dmp_intake_v1_IntakeServiceClient,
  IntakeServiceDefinition as _dmp_intake_v1_IntakeServiceDefinition,
} from './dmp/intake/v1/IntakeService';
import type {
  ListEventTypesRequest as _dmp_intake_v1_ListEventTypesRequest,
  ListEventTypesRequest__Output as _dmp_intake_v1_ListEventTypesRequest__Output,
} from './dmp/intake/v1/ListEventTypesRequest';
import type {
  ListEventTypesResponse as _dmp_intake_v1_ListEventTypesResponse,
  ListEventTypesResponse__Output as _dmp_intake_v1_ListEventTypesResponse__Output,
} from './dmp/intake/v1/ListEventTypesResponse';
import type {
  PutEventTypeRequest as _dmp_intake_v1_PutEventTypeRequest,
  PutEventTypeRequest__Output as _dmp_intake_v1_PutEventTypeRequest__Output,
} from './dmp/intake/v1/PutEventTypeRequest';
import type {
  PutEventTypeResponse as _dmp_intake_v1_PutEventTypeResponse,
  PutEventTypeResponse__Output as _dmp_intake_v1_PutEventTypeResponse__Output,
} from './dmp/intake/v1/PutEventTypeResponse';
import type {
  UpsertItemsRequest as _dmp_intake_v1_UpsertItemsRequest,
  UpsertItemsRequest__Output as _dmp_intake_v1_UpsertItemsRequest__Output,
} from './dmp/intake/v1/UpsertItemsRequest';
import type {
  UpsertItemsResponse as _dmp_intake_v1_UpsertItemsResponse,
  UpsertItemsResponse__Output as _dmp_intake_v1_UpsertItemsResponse__Output,
} from './dmp/intake/v1/UpsertItemsResponse';
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
    intake: {
      v1: {
        CatalogItem: MessageTypeDefinition<_dmp_intake_v1_CatalogItem, _dmp_intake_v1_CatalogItem__Output>;
        EventResult: MessageTypeDefinition<_dmp_intake_v1_EventResult, _dmp_intake_v1_EventResult__Output>;
        EventStatus: EnumTypeDefinition;
        EventType: MessageTypeDefinition<_dmp_intake_v1_EventType, _dmp_intake_v1_EventType__Output>;
        IngestRequest: MessageTypeDefinition<_dmp_intake_v1_IngestRequest, _dmp_intake_v1_IngestRequest__Output>;
        IngestResponse: MessageTypeDefinition<_dmp_intake_v1_IngestResponse, _dmp_intake_v1_IngestResponse__Output>;
        IngestStreamRequest: MessageTypeDefinition<
          _dmp_intake_v1_IngestStreamRequest,
          _dmp_intake_v1_IngestStreamRequest__Output
        >;
        IngestStreamResponse: MessageTypeDefinition<
          _dmp_intake_v1_IngestStreamResponse,
          _dmp_intake_v1_IngestStreamResponse__Output
        >;
        IntakeService: SubtypeConstructor<typeof grpc.Client, _dmp_intake_v1_IntakeServiceClient> & {
          service: _dmp_intake_v1_IntakeServiceDefinition;
        };
        ListEventTypesRequest: MessageTypeDefinition<
          _dmp_intake_v1_ListEventTypesRequest,
          _dmp_intake_v1_ListEventTypesRequest__Output
        >;
        ListEventTypesResponse: MessageTypeDefinition<
          _dmp_intake_v1_ListEventTypesResponse,
          _dmp_intake_v1_ListEventTypesResponse__Output
        >;
        PutEventTypeRequest: MessageTypeDefinition<
          _dmp_intake_v1_PutEventTypeRequest,
          _dmp_intake_v1_PutEventTypeRequest__Output
        >;
        PutEventTypeResponse: MessageTypeDefinition<
          _dmp_intake_v1_PutEventTypeResponse,
          _dmp_intake_v1_PutEventTypeResponse__Output
        >;
        UpsertItemsRequest: MessageTypeDefinition<
          _dmp_intake_v1_UpsertItemsRequest,
          _dmp_intake_v1_UpsertItemsRequest__Output
        >;
        UpsertItemsResponse: MessageTypeDefinition<
          _dmp_intake_v1_UpsertItemsResponse,
          _dmp_intake_v1_UpsertItemsResponse__Output
        >;
      };
    };
  };
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
    };
  };
}
