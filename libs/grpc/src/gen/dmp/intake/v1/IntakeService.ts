// Original file: ../../protos/dmp/intake/v1/intake_service.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  IngestRequest as _dmp_intake_v1_IngestRequest,
  IngestRequest__Output as _dmp_intake_v1_IngestRequest__Output,
} from '../../../dmp/intake/v1/IngestRequest';
import type {
  IngestResponse as _dmp_intake_v1_IngestResponse,
  IngestResponse__Output as _dmp_intake_v1_IngestResponse__Output,
} from '../../../dmp/intake/v1/IngestResponse';
import type {
  IngestStreamRequest as _dmp_intake_v1_IngestStreamRequest,
  IngestStreamRequest__Output as _dmp_intake_v1_IngestStreamRequest__Output,
} from '../../../dmp/intake/v1/IngestStreamRequest';
import type {
  IngestStreamResponse as _dmp_intake_v1_IngestStreamResponse,
  IngestStreamResponse__Output as _dmp_intake_v1_IngestStreamResponse__Output,
} from '../../../dmp/intake/v1/IngestStreamResponse';
import type {
  ListEventTypesRequest as _dmp_intake_v1_ListEventTypesRequest,
  ListEventTypesRequest__Output as _dmp_intake_v1_ListEventTypesRequest__Output,
} from '../../../dmp/intake/v1/ListEventTypesRequest';
import type {
  ListEventTypesResponse as _dmp_intake_v1_ListEventTypesResponse,
  ListEventTypesResponse__Output as _dmp_intake_v1_ListEventTypesResponse__Output,
} from '../../../dmp/intake/v1/ListEventTypesResponse';
import type {
  PutEventTypeRequest as _dmp_intake_v1_PutEventTypeRequest,
  PutEventTypeRequest__Output as _dmp_intake_v1_PutEventTypeRequest__Output,
} from '../../../dmp/intake/v1/PutEventTypeRequest';
import type {
  PutEventTypeResponse as _dmp_intake_v1_PutEventTypeResponse,
  PutEventTypeResponse__Output as _dmp_intake_v1_PutEventTypeResponse__Output,
} from '../../../dmp/intake/v1/PutEventTypeResponse';
import type {
  UpsertItemsRequest as _dmp_intake_v1_UpsertItemsRequest,
  UpsertItemsRequest__Output as _dmp_intake_v1_UpsertItemsRequest__Output,
} from '../../../dmp/intake/v1/UpsertItemsRequest';
import type {
  UpsertItemsResponse as _dmp_intake_v1_UpsertItemsResponse,
  UpsertItemsResponse__Output as _dmp_intake_v1_UpsertItemsResponse__Output,
} from '../../../dmp/intake/v1/UpsertItemsResponse';

export interface IntakeServiceClient extends grpc.Client {
  Ingest(
    argument: _dmp_intake_v1_IngestRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestResponse__Output>
  ): grpc.ClientUnaryCall;
  Ingest(
    argument: _dmp_intake_v1_IngestRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestResponse__Output>
  ): grpc.ClientUnaryCall;
  Ingest(
    argument: _dmp_intake_v1_IngestRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestResponse__Output>
  ): grpc.ClientUnaryCall;
  Ingest(
    argument: _dmp_intake_v1_IngestRequest,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestResponse__Output>
  ): grpc.ClientUnaryCall;
  ingest(
    argument: _dmp_intake_v1_IngestRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestResponse__Output>
  ): grpc.ClientUnaryCall;
  ingest(
    argument: _dmp_intake_v1_IngestRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestResponse__Output>
  ): grpc.ClientUnaryCall;
  ingest(
    argument: _dmp_intake_v1_IngestRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestResponse__Output>
  ): grpc.ClientUnaryCall;
  ingest(
    argument: _dmp_intake_v1_IngestRequest,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestResponse__Output>
  ): grpc.ClientUnaryCall;

  IngestStream(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestStreamResponse__Output>
  ): grpc.ClientWritableStream<_dmp_intake_v1_IngestStreamRequest>;
  IngestStream(
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestStreamResponse__Output>
  ): grpc.ClientWritableStream<_dmp_intake_v1_IngestStreamRequest>;
  IngestStream(
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestStreamResponse__Output>
  ): grpc.ClientWritableStream<_dmp_intake_v1_IngestStreamRequest>;
  IngestStream(
    callback: grpc.requestCallback<_dmp_intake_v1_IngestStreamResponse__Output>
  ): grpc.ClientWritableStream<_dmp_intake_v1_IngestStreamRequest>;
  ingestStream(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestStreamResponse__Output>
  ): grpc.ClientWritableStream<_dmp_intake_v1_IngestStreamRequest>;
  ingestStream(
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestStreamResponse__Output>
  ): grpc.ClientWritableStream<_dmp_intake_v1_IngestStreamRequest>;
  ingestStream(
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_IngestStreamResponse__Output>
  ): grpc.ClientWritableStream<_dmp_intake_v1_IngestStreamRequest>;
  ingestStream(
    callback: grpc.requestCallback<_dmp_intake_v1_IngestStreamResponse__Output>
  ): grpc.ClientWritableStream<_dmp_intake_v1_IngestStreamRequest>;

  ListEventTypes(
    argument: _dmp_intake_v1_ListEventTypesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_ListEventTypesResponse__Output>
  ): grpc.ClientUnaryCall;
  ListEventTypes(
    argument: _dmp_intake_v1_ListEventTypesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_ListEventTypesResponse__Output>
  ): grpc.ClientUnaryCall;
  ListEventTypes(
    argument: _dmp_intake_v1_ListEventTypesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_ListEventTypesResponse__Output>
  ): grpc.ClientUnaryCall;
  ListEventTypes(
    argument: _dmp_intake_v1_ListEventTypesRequest,
    callback: grpc.requestCallback<_dmp_intake_v1_ListEventTypesResponse__Output>
  ): grpc.ClientUnaryCall;
  listEventTypes(
    argument: _dmp_intake_v1_ListEventTypesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_ListEventTypesResponse__Output>
  ): grpc.ClientUnaryCall;
  listEventTypes(
    argument: _dmp_intake_v1_ListEventTypesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_ListEventTypesResponse__Output>
  ): grpc.ClientUnaryCall;
  listEventTypes(
    argument: _dmp_intake_v1_ListEventTypesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_ListEventTypesResponse__Output>
  ): grpc.ClientUnaryCall;
  listEventTypes(
    argument: _dmp_intake_v1_ListEventTypesRequest,
    callback: grpc.requestCallback<_dmp_intake_v1_ListEventTypesResponse__Output>
  ): grpc.ClientUnaryCall;

  PutEventType(
    argument: _dmp_intake_v1_PutEventTypeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_PutEventTypeResponse__Output>
  ): grpc.ClientUnaryCall;
  PutEventType(
    argument: _dmp_intake_v1_PutEventTypeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_PutEventTypeResponse__Output>
  ): grpc.ClientUnaryCall;
  PutEventType(
    argument: _dmp_intake_v1_PutEventTypeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_PutEventTypeResponse__Output>
  ): grpc.ClientUnaryCall;
  PutEventType(
    argument: _dmp_intake_v1_PutEventTypeRequest,
    callback: grpc.requestCallback<_dmp_intake_v1_PutEventTypeResponse__Output>
  ): grpc.ClientUnaryCall;
  putEventType(
    argument: _dmp_intake_v1_PutEventTypeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_PutEventTypeResponse__Output>
  ): grpc.ClientUnaryCall;
  putEventType(
    argument: _dmp_intake_v1_PutEventTypeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_PutEventTypeResponse__Output>
  ): grpc.ClientUnaryCall;
  putEventType(
    argument: _dmp_intake_v1_PutEventTypeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_PutEventTypeResponse__Output>
  ): grpc.ClientUnaryCall;
  putEventType(
    argument: _dmp_intake_v1_PutEventTypeRequest,
    callback: grpc.requestCallback<_dmp_intake_v1_PutEventTypeResponse__Output>
  ): grpc.ClientUnaryCall;

  UpsertItems(
    argument: _dmp_intake_v1_UpsertItemsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_UpsertItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  UpsertItems(
    argument: _dmp_intake_v1_UpsertItemsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_UpsertItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  UpsertItems(
    argument: _dmp_intake_v1_UpsertItemsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_UpsertItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  UpsertItems(
    argument: _dmp_intake_v1_UpsertItemsRequest,
    callback: grpc.requestCallback<_dmp_intake_v1_UpsertItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  upsertItems(
    argument: _dmp_intake_v1_UpsertItemsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_UpsertItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  upsertItems(
    argument: _dmp_intake_v1_UpsertItemsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_intake_v1_UpsertItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  upsertItems(
    argument: _dmp_intake_v1_UpsertItemsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_intake_v1_UpsertItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  upsertItems(
    argument: _dmp_intake_v1_UpsertItemsRequest,
    callback: grpc.requestCallback<_dmp_intake_v1_UpsertItemsResponse__Output>
  ): grpc.ClientUnaryCall;
}

export interface IntakeServiceHandlers extends grpc.UntypedServiceImplementation {
  Ingest: grpc.handleUnaryCall<_dmp_intake_v1_IngestRequest__Output, _dmp_intake_v1_IngestResponse>;

  IngestStream: grpc.handleClientStreamingCall<
    _dmp_intake_v1_IngestStreamRequest__Output,
    _dmp_intake_v1_IngestStreamResponse
  >;

  ListEventTypes: grpc.handleUnaryCall<
    _dmp_intake_v1_ListEventTypesRequest__Output,
    _dmp_intake_v1_ListEventTypesResponse
  >;

  PutEventType: grpc.handleUnaryCall<_dmp_intake_v1_PutEventTypeRequest__Output, _dmp_intake_v1_PutEventTypeResponse>;

  UpsertItems: grpc.handleUnaryCall<_dmp_intake_v1_UpsertItemsRequest__Output, _dmp_intake_v1_UpsertItemsResponse>;
}

export interface IntakeServiceDefinition extends grpc.ServiceDefinition {
  Ingest: MethodDefinition<
    _dmp_intake_v1_IngestRequest,
    _dmp_intake_v1_IngestResponse,
    _dmp_intake_v1_IngestRequest__Output,
    _dmp_intake_v1_IngestResponse__Output
  >;
  IngestStream: MethodDefinition<
    _dmp_intake_v1_IngestStreamRequest,
    _dmp_intake_v1_IngestStreamResponse,
    _dmp_intake_v1_IngestStreamRequest__Output,
    _dmp_intake_v1_IngestStreamResponse__Output
  >;
  ListEventTypes: MethodDefinition<
    _dmp_intake_v1_ListEventTypesRequest,
    _dmp_intake_v1_ListEventTypesResponse,
    _dmp_intake_v1_ListEventTypesRequest__Output,
    _dmp_intake_v1_ListEventTypesResponse__Output
  >;
  PutEventType: MethodDefinition<
    _dmp_intake_v1_PutEventTypeRequest,
    _dmp_intake_v1_PutEventTypeResponse,
    _dmp_intake_v1_PutEventTypeRequest__Output,
    _dmp_intake_v1_PutEventTypeResponse__Output
  >;
  UpsertItems: MethodDefinition<
    _dmp_intake_v1_UpsertItemsRequest,
    _dmp_intake_v1_UpsertItemsResponse,
    _dmp_intake_v1_UpsertItemsRequest__Output,
    _dmp_intake_v1_UpsertItemsResponse__Output
  >;
}
