// Original file: ../../protos/dmp/scoring/v1/scoring_service.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  ScoreRequest as _dmp_scoring_v1_ScoreRequest,
  ScoreRequest__Output as _dmp_scoring_v1_ScoreRequest__Output,
} from '../../../dmp/scoring/v1/ScoreRequest';
import type {
  ScoreResponse as _dmp_scoring_v1_ScoreResponse,
  ScoreResponse__Output as _dmp_scoring_v1_ScoreResponse__Output,
} from '../../../dmp/scoring/v1/ScoreResponse';

export interface ScoringServiceClient extends grpc.Client {
  Score(
    argument: _dmp_scoring_v1_ScoreRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_scoring_v1_ScoreResponse__Output>
  ): grpc.ClientUnaryCall;
  Score(
    argument: _dmp_scoring_v1_ScoreRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_scoring_v1_ScoreResponse__Output>
  ): grpc.ClientUnaryCall;
  Score(
    argument: _dmp_scoring_v1_ScoreRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_scoring_v1_ScoreResponse__Output>
  ): grpc.ClientUnaryCall;
  Score(
    argument: _dmp_scoring_v1_ScoreRequest,
    callback: grpc.requestCallback<_dmp_scoring_v1_ScoreResponse__Output>
  ): grpc.ClientUnaryCall;
  score(
    argument: _dmp_scoring_v1_ScoreRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_scoring_v1_ScoreResponse__Output>
  ): grpc.ClientUnaryCall;
  score(
    argument: _dmp_scoring_v1_ScoreRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_scoring_v1_ScoreResponse__Output>
  ): grpc.ClientUnaryCall;
  score(
    argument: _dmp_scoring_v1_ScoreRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_scoring_v1_ScoreResponse__Output>
  ): grpc.ClientUnaryCall;
  score(
    argument: _dmp_scoring_v1_ScoreRequest,
    callback: grpc.requestCallback<_dmp_scoring_v1_ScoreResponse__Output>
  ): grpc.ClientUnaryCall;
}

export interface ScoringServiceHandlers extends grpc.UntypedServiceImplementation {
  Score: grpc.handleUnaryCall<_dmp_scoring_v1_ScoreRequest__Output, _dmp_scoring_v1_ScoreResponse>;
}

export interface ScoringServiceDefinition extends grpc.ServiceDefinition {
  Score: MethodDefinition<
    _dmp_scoring_v1_ScoreRequest,
    _dmp_scoring_v1_ScoreResponse,
    _dmp_scoring_v1_ScoreRequest__Output,
    _dmp_scoring_v1_ScoreResponse__Output
  >;
}
