// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  GetFeaturesRequest as _dmp_features_v1_GetFeaturesRequest,
  GetFeaturesRequest__Output as _dmp_features_v1_GetFeaturesRequest__Output,
} from '../../../dmp/features/v1/GetFeaturesRequest';
import type {
  GetFeaturesResponse as _dmp_features_v1_GetFeaturesResponse,
  GetFeaturesResponse__Output as _dmp_features_v1_GetFeaturesResponse__Output,
} from '../../../dmp/features/v1/GetFeaturesResponse';

export interface FeatureStoreServiceClient extends grpc.Client {
  GetFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  getFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  getFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  getFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  getFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
}

export interface FeatureStoreServiceHandlers extends grpc.UntypedServiceImplementation {
  GetFeatures: grpc.handleUnaryCall<_dmp_features_v1_GetFeaturesRequest__Output, _dmp_features_v1_GetFeaturesResponse>;
}

export interface FeatureStoreServiceDefinition extends grpc.ServiceDefinition {
  GetFeatures: MethodDefinition<
    _dmp_features_v1_GetFeaturesRequest,
    _dmp_features_v1_GetFeaturesResponse,
    _dmp_features_v1_GetFeaturesRequest__Output,
    _dmp_features_v1_GetFeaturesResponse__Output
  >;
}
