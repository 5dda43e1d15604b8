// Original file: ../../protos/dmp/features/v1/profile_service.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  DeleteProfileRequest as _dmp_features_v1_DeleteProfileRequest,
  DeleteProfileRequest__Output as _dmp_features_v1_DeleteProfileRequest__Output,
} from '../../../dmp/features/v1/DeleteProfileRequest';
import type {
  DeleteProfileResponse as _dmp_features_v1_DeleteProfileResponse,
  DeleteProfileResponse__Output as _dmp_features_v1_DeleteProfileResponse__Output,
} from '../../../dmp/features/v1/DeleteProfileResponse';
import type {
  GetProfileRequest as _dmp_features_v1_GetProfileRequest,
  GetProfileRequest__Output as _dmp_features_v1_GetProfileRequest__Output,
} from '../../../dmp/features/v1/GetProfileRequest';
import type {
  GetProfileResponse as _dmp_features_v1_GetProfileResponse,
  GetProfileResponse__Output as _dmp_features_v1_GetProfileResponse__Output,
} from '../../../dmp/features/v1/GetProfileResponse';
import type {
  ResolveProfileRequest as _dmp_features_v1_ResolveProfileRequest,
  ResolveProfileRequest__Output as _dmp_features_v1_ResolveProfileRequest__Output,
} from '../../../dmp/features/v1/ResolveProfileRequest';
import type {
  ResolveProfileResponse as _dmp_features_v1_ResolveProfileResponse,
  ResolveProfileResponse__Output as _dmp_features_v1_ResolveProfileResponse__Output,
} from '../../../dmp/features/v1/ResolveProfileResponse';

export interface ProfileServiceClient extends grpc.Client {
  DeleteProfile(
    argument: _dmp_features_v1_DeleteProfileRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_DeleteProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  DeleteProfile(
    argument: _dmp_features_v1_DeleteProfileRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_DeleteProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  DeleteProfile(
    argument: _dmp_features_v1_DeleteProfileRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_DeleteProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  DeleteProfile(
    argument: _dmp_features_v1_DeleteProfileRequest,
    callback: grpc.requestCallback<_dmp_features_v1_DeleteProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  deleteProfile(
    argument: _dmp_features_v1_DeleteProfileRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_DeleteProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  deleteProfile(
    argument: _dmp_features_v1_DeleteProfileRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_DeleteProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  deleteProfile(
    argument: _dmp_features_v1_DeleteProfileRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_DeleteProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  deleteProfile(
    argument: _dmp_features_v1_DeleteProfileRequest,
    callback: grpc.requestCallback<_dmp_features_v1_DeleteProfileResponse__Output>
  ): grpc.ClientUnaryCall;

  GetProfile(
    argument: _dmp_features_v1_GetProfileRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  GetProfile(
    argument: _dmp_features_v1_GetProfileRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_GetProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  GetProfile(
    argument: _dmp_features_v1_GetProfileRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  GetProfile(
    argument: _dmp_features_v1_GetProfileRequest,
    callback: grpc.requestCallback<_dmp_features_v1_GetProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  getProfile(
    argument: _dmp_features_v1_GetProfileRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  getProfile(
    argument: _dmp_features_v1_GetProfileRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_GetProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  getProfile(
    argument: _dmp_features_v1_GetProfileRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  getProfile(
    argument: _dmp_features_v1_GetProfileRequest,
    callback: grpc.requestCallback<_dmp_features_v1_GetProfileResponse__Output>
  ): grpc.ClientUnaryCall;

  ResolveProfile(
    argument: _dmp_features_v1_ResolveProfileRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ResolveProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  ResolveProfile(
    argument: _dmp_features_v1_ResolveProfileRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_ResolveProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  ResolveProfile(
    argument: _dmp_features_v1_ResolveProfileRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ResolveProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  ResolveProfile(
    argument: _dmp_features_v1_ResolveProfileRequest,
    callback: grpc.requestCallback<_dmp_features_v1_ResolveProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  resolveProfile(
    argument: _dmp_features_v1_ResolveProfileRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ResolveProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  resolveProfile(
    argument: _dmp_features_v1_ResolveProfileRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_ResolveProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  resolveProfile(
    argument: _dmp_features_v1_ResolveProfileRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ResolveProfileResponse__Output>
  ): grpc.ClientUnaryCall;
  resolveProfile(
    argument: _dmp_features_v1_ResolveProfileRequest,
    callback: grpc.requestCallback<_dmp_features_v1_ResolveProfileResponse__Output>
  ): grpc.ClientUnaryCall;
}

export interface ProfileServiceHandlers extends grpc.UntypedServiceImplementation {
  DeleteProfile: grpc.handleUnaryCall<
    _dmp_features_v1_DeleteProfileRequest__Output,
    _dmp_features_v1_DeleteProfileResponse
  >;

  GetProfile: grpc.handleUnaryCall<_dmp_features_v1_GetProfileRequest__Output, _dmp_features_v1_GetProfileResponse>;

  ResolveProfile: grpc.handleUnaryCall<
    _dmp_features_v1_ResolveProfileRequest__Output,
    _dmp_features_v1_ResolveProfileResponse
  >;
}

export interface ProfileServiceDefinition extends grpc.ServiceDefinition {
  DeleteProfile: MethodDefinition<
    _dmp_features_v1_DeleteProfileRequest,
    _dmp_features_v1_DeleteProfileResponse,
    _dmp_features_v1_DeleteProfileRequest__Output,
    _dmp_features_v1_DeleteProfileResponse__Output
  >;
  GetProfile: MethodDefinition<
    _dmp_features_v1_GetProfileRequest,
    _dmp_features_v1_GetProfileResponse,
    _dmp_features_v1_GetProfileRequest__Output,
    _dmp_features_v1_GetProfileResponse__Output
  >;
  ResolveProfile: MethodDefinition<
    _dmp_features_v1_ResolveProfileRequest,
    _dmp_features_v1_ResolveProfileResponse,
    _dmp_features_v1_ResolveProfileRequest__Output,
    _dmp_features_v1_ResolveProfileResponse__Output
  >;
}
