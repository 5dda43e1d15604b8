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
  GetRecommendRulesRequest as _dmp_decisioning_v1_GetRecommendRulesRequest,
  GetRecommendRulesRequest__Output as _dmp_decisioning_v1_GetRecommendRulesRequest__Output,
} from '../../../dmp/decisioning/v1/GetRecommendRulesRequest';
import type {
  GetRecommendRulesResponse as _dmp_decisioning_v1_GetRecommendRulesResponse,
  GetRecommendRulesResponse__Output as _dmp_decisioning_v1_GetRecommendRulesResponse__Output,
} from '../../../dmp/decisioning/v1/GetRecommendRulesResponse';
import type {
  NextContentRequest as _dmp_decisioning_v1_NextContentRequest,
  NextContentRequest__Output as _dmp_decisioning_v1_NextContentRequest__Output,
} from '../../../dmp/decisioning/v1/NextContentRequest';
import type {
  NextContentResponse as _dmp_decisioning_v1_NextContentResponse,
  NextContentResponse__Output as _dmp_decisioning_v1_NextContentResponse__Output,
} from '../../../dmp/decisioning/v1/NextContentResponse';
import type {
  PutRecommendRulesRequest as _dmp_decisioning_v1_PutRecommendRulesRequest,
  PutRecommendRulesRequest__Output as _dmp_decisioning_v1_PutRecommendRulesRequest__Output,
} from '../../../dmp/decisioning/v1/PutRecommendRulesRequest';
import type {
  PutRecommendRulesResponse as _dmp_decisioning_v1_PutRecommendRulesResponse,
  PutRecommendRulesResponse__Output as _dmp_decisioning_v1_PutRecommendRulesResponse__Output,
} from '../../../dmp/decisioning/v1/PutRecommendRulesResponse';
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

  GetRecommendRules(
    argument: _dmp_decisioning_v1_GetRecommendRulesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetRecommendRules(
    argument: _dmp_decisioning_v1_GetRecommendRulesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetRecommendRules(
    argument: _dmp_decisioning_v1_GetRecommendRulesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetRecommendRules(
    argument: _dmp_decisioning_v1_GetRecommendRulesRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  getRecommendRules(
    argument: _dmp_decisioning_v1_GetRecommendRulesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  getRecommendRules(
    argument: _dmp_decisioning_v1_GetRecommendRulesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  getRecommendRules(
    argument: _dmp_decisioning_v1_GetRecommendRulesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  getRecommendRules(
    argument: _dmp_decisioning_v1_GetRecommendRulesRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetRecommendRulesResponse__Output>
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

  PutRecommendRules(
    argument: _dmp_decisioning_v1_PutRecommendRulesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  PutRecommendRules(
    argument: _dmp_decisioning_v1_PutRecommendRulesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  PutRecommendRules(
    argument: _dmp_decisioning_v1_PutRecommendRulesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  PutRecommendRules(
    argument: _dmp_decisioning_v1_PutRecommendRulesRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  putRecommendRules(
    argument: _dmp_decisioning_v1_PutRecommendRulesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  putRecommendRules(
    argument: _dmp_decisioning_v1_PutRecommendRulesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  putRecommendRules(
    argument: _dmp_decisioning_v1_PutRecommendRulesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutRecommendRulesResponse__Output>
  ): grpc.ClientUnaryCall;
  putRecommendRules(
    argument: _dmp_decisioning_v1_PutRecommendRulesRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutRecommendRulesResponse__Output>
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

  GetRecommendRules: grpc.handleUnaryCall<
    _dmp_decisioning_v1_GetRecommendRulesRequest__Output,
    _dmp_decisioning_v1_GetRecommendRulesResponse
  >;

  NextContent: grpc.handleUnaryCall<
    _dmp_decisioning_v1_NextContentRequest__Output,
    _dmp_decisioning_v1_NextContentResponse
  >;

  PutRecommendRules: grpc.handleUnaryCall<
    _dmp_decisioning_v1_PutRecommendRulesRequest__Output,
    _dmp_decisioning_v1_PutRecommendRulesResponse
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
  GetRecommendRules: MethodDefinition<
    _dmp_decisioning_v1_GetRecommendRulesRequest,
    _dmp_decisioning_v1_GetRecommendRulesResponse,
    _dmp_decisioning_v1_GetRecommendRulesRequest__Output,
    _dmp_decisioning_v1_GetRecommendRulesResponse__Output
  >;
  NextContent: MethodDefinition<
    _dmp_decisioning_v1_NextContentRequest,
    _dmp_decisioning_v1_NextContentResponse,
    _dmp_decisioning_v1_NextContentRequest__Output,
    _dmp_decisioning_v1_NextContentResponse__Output
  >;
  PutRecommendRules: MethodDefinition<
    _dmp_decisioning_v1_PutRecommendRulesRequest,
    _dmp_decisioning_v1_PutRecommendRulesResponse,
    _dmp_decisioning_v1_PutRecommendRulesRequest__Output,
    _dmp_decisioning_v1_PutRecommendRulesResponse__Output
  >;
  Recommend: MethodDefinition<
    _dmp_decisioning_v1_RecommendRequest,
    _dmp_decisioning_v1_RecommendResponse,
    _dmp_decisioning_v1_RecommendRequest__Output,
    _dmp_decisioning_v1_RecommendResponse__Output
  >;
}
