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
}

export interface IntakeServiceHandlers extends grpc.UntypedServiceImplementation {
  Ingest: grpc.handleUnaryCall<_dmp_intake_v1_IngestRequest__Output, _dmp_intake_v1_IngestResponse>;
}

export interface IntakeServiceDefinition extends grpc.ServiceDefinition {
  Ingest: MethodDefinition<
    _dmp_intake_v1_IngestRequest,
    _dmp_intake_v1_IngestResponse,
    _dmp_intake_v1_IngestRequest__Output,
    _dmp_intake_v1_IngestResponse__Output
  >;
}
