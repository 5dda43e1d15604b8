// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  DecideRequest as _dmp_decisioning_v1_DecideRequest,
  DecideRequest__Output as _dmp_decisioning_v1_DecideRequest__Output,
} from '../../../dmp/decisioning/v1/DecideRequest';
import type {
  DecideResponse as _dmp_decisioning_v1_DecideResponse,
  DecideResponse__Output as _dmp_decisioning_v1_DecideResponse__Output,
} from '../../../dmp/decisioning/v1/DecideResponse';
import type {
  NextContentRequest as _dmp_decisioning_v1_NextContentRequest,
  NextContentRequest__Output as _dmp_decisioning_v1_NextContentRequest__Output,
} from '../../../dmp/decisioning/v1/NextContentRequest';
import type {
  NextContentResponse as _dmp_decisioning_v1_NextContentResponse,
  NextContentResponse__Output as _dmp_decisioning_v1_NextContentResponse__Output,
} from '../../../dmp/decisioning/v1/NextContentResponse';
import type {
  RecommendRequest as _dmp_decisioning_v1_RecommendRequest,
  RecommendRequest__Output as _dmp_decisioning_v1_RecommendRequest__Output,
} from '../../../dmp/decisioning/v1/RecommendRequest';
import type {
  RecommendResponse as _dmp_decisioning_v1_RecommendResponse,
  RecommendResponse__Output as _dmp_decisioning_v1_RecommendResponse__Output,
} from '../../../dmp/decisioning/v1/RecommendResponse';

export interface DecisioningServiceClient extends grpc.Client {
  Decide(
    argument: _dmp_decisioning_v1_DecideRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_DecideResponse__Output>
  ): grpc.ClientUnaryCall;
  Decide(
    argument: _dmp_decisioning_v1_DecideRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_DecideResponse__Output>
  ): grpc.ClientUnaryCall;
  Decide(
    argument: _dmp_decisioning_v1_DecideRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_DecideResponse__Output>
  ): grpc.ClientUnaryCall;
  Decide(
    argument: _dmp_decisioning_v1_DecideRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_DecideResponse__Output>
  ): grpc.ClientUnaryCall;
  decide(
    argument: _dmp_decisioning_v1_DecideRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_DecideResponse__Output>
  ): grpc.ClientUnaryCall;
  decide(
    argument: _dmp_decisioning_v1_DecideRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_DecideResponse__Output>
  ): grpc.ClientUnaryCall;
  decide(
    argument: _dmp_decisioning_v1_DecideRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_DecideResponse__Output>
  ): grpc.ClientUnaryCall;
  decide(
    argument: _dmp_decisioning_v1_DecideRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_DecideResponse__Output>
  ): grpc.ClientUnaryCall;

  NextContent(
    argument: _dmp_decisioning_v1_NextContentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_NextContentResponse__Output>
  ): grpc.ClientUnaryCall;
  NextContent(
    argument: _dmp_decisioning_v1_NextContentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_NextContentResponse__Output>
  ): grpc.ClientUnaryCall;
  NextContent(
    argument: _dmp_decisioning_v1_NextContentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_NextContentResponse__Output>
  ): grpc.ClientUnaryCall;
  NextContent(
    argument: _dmp_decisioning_v1_NextContentRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_NextContentResponse__Output>
  ): grpc.ClientUnaryCall;
  nextContent(
    argument: _dmp_decisioning_v1_NextContentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_NextContentResponse__Output>
  ): grpc.ClientUnaryCall;
  nextContent(
    argument: _dmp_decisioning_v1_NextContentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_NextContentResponse__Output>
  ): grpc.ClientUnaryCall;
  nextContent(
    argument: _dmp_decisioning_v1_NextContentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_NextContentResponse__Output>
  ): grpc.ClientUnaryCall;
  nextContent(
    argument: _dmp_decisioning_v1_NextContentRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_NextContentResponse__Output>
  ): grpc.ClientUnaryCall;

  Recommend(
    argument: _dmp_decisioning_v1_RecommendRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_RecommendResponse__Output>
  ): grpc.ClientUnaryCall;
  Recommend(
    argument: _dmp_decisioning_v1_RecommendRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_RecommendResponse__Output>
  ): grpc.ClientUnaryCall;
  Recommend(
    argument: _dmp_decisioning_v1_RecommendRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_RecommendResponse__Output>
  ): grpc.ClientUnaryCall;
  Recommend(
    argument: _dmp_decisioning_v1_RecommendRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_RecommendResponse__Output>
  ): grpc.ClientUnaryCall;
  recommend(
    argument: _dmp_decisioning_v1_RecommendRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_RecommendResponse__Output>
  ): grpc.ClientUnaryCall;
  recommend(
    argument: _dmp_decisioning_v1_RecommendRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_RecommendResponse__Output>
  ): grpc.ClientUnaryCall;
  recommend(
    argument: _dmp_decisioning_v1_RecommendRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_RecommendResponse__Output>
  ): grpc.ClientUnaryCall;
  recommend(
    argument: _dmp_decisioning_v1_RecommendRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_RecommendResponse__Output>
  ): grpc.ClientUnaryCall;
}

export interface DecisioningServiceHandlers extends grpc.UntypedServiceImplementation {
  Decide: grpc.handleUnaryCall<_dmp_decisioning_v1_DecideRequest__Output, _dmp_decisioning_v1_DecideResponse>;

  NextContent: grpc.handleUnaryCall<
    _dmp_decisioning_v1_NextContentRequest__Output,
    _dmp_decisioning_v1_NextContentResponse
  >;

  Recommend: grpc.handleUnaryCall<_dmp_decisioning_v1_RecommendRequest__Output, _dmp_decisioning_v1_RecommendResponse>;
}

export interface DecisioningServiceDefinition extends grpc.ServiceDefinition {
  Decide: MethodDefinition<
    _dmp_decisioning_v1_DecideRequest,
    _dmp_decisioning_v1_DecideResponse,
    _dmp_decisioning_v1_DecideRequest__Output,
    _dmp_decisioning_v1_DecideResponse__Output
  >;
  NextContent: MethodDefinition<
    _dmp_decisioning_v1_NextContentRequest,
    _dmp_decisioning_v1_NextContentResponse,
    _dmp_decisioning_v1_NextContentRequest__Output,
    _dmp_decisioning_v1_NextContentResponse__Output
  >;
  Recommend: MethodDefinition<
    _dmp_decisioning_v1_RecommendRequest,
    _dmp_decisioning_v1_RecommendResponse,
    _dmp_decisioning_v1_RecommendRequest__Output,
    _dmp_decisioning_v1_RecommendResponse__Output
  >;
}
