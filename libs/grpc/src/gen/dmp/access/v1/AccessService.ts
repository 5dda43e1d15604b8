// Original file: ../../protos/dmp/access/v1/access_service.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  CreateApiKeyRequest as _dmp_access_v1_CreateApiKeyRequest,
  CreateApiKeyRequest__Output as _dmp_access_v1_CreateApiKeyRequest__Output,
} from '../../../dmp/access/v1/CreateApiKeyRequest';
import type {
  CreateApiKeyResponse as _dmp_access_v1_CreateApiKeyResponse,
  CreateApiKeyResponse__Output as _dmp_access_v1_CreateApiKeyResponse__Output,
} from '../../../dmp/access/v1/CreateApiKeyResponse';
import type {
  CreateTenantRequest as _dmp_access_v1_CreateTenantRequest,
  CreateTenantRequest__Output as _dmp_access_v1_CreateTenantRequest__Output,
} from '../../../dmp/access/v1/CreateTenantRequest';
import type {
  CreateTenantResponse as _dmp_access_v1_CreateTenantResponse,
  CreateTenantResponse__Output as _dmp_access_v1_CreateTenantResponse__Output,
} from '../../../dmp/access/v1/CreateTenantResponse';
import type {
  ListApiKeysRequest as _dmp_access_v1_ListApiKeysRequest,
  ListApiKeysRequest__Output as _dmp_access_v1_ListApiKeysRequest__Output,
} from '../../../dmp/access/v1/ListApiKeysRequest';
import type {
  ListApiKeysResponse as _dmp_access_v1_ListApiKeysResponse,
  ListApiKeysResponse__Output as _dmp_access_v1_ListApiKeysResponse__Output,
} from '../../../dmp/access/v1/ListApiKeysResponse';
import type {
  RevokeApiKeyRequest as _dmp_access_v1_RevokeApiKeyRequest,
  RevokeApiKeyRequest__Output as _dmp_access_v1_RevokeApiKeyRequest__Output,
} from '../../../dmp/access/v1/RevokeApiKeyRequest';
import type {
  RevokeApiKeyResponse as _dmp_access_v1_RevokeApiKeyResponse,
  RevokeApiKeyResponse__Output as _dmp_access_v1_RevokeApiKeyResponse__Output,
} from '../../../dmp/access/v1/RevokeApiKeyResponse';

export interface AccessServiceClient extends grpc.Client {
  CreateApiKey(
    argument: _dmp_access_v1_CreateApiKeyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_CreateApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  CreateApiKey(
    argument: _dmp_access_v1_CreateApiKeyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_access_v1_CreateApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  CreateApiKey(
    argument: _dmp_access_v1_CreateApiKeyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_CreateApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  CreateApiKey(
    argument: _dmp_access_v1_CreateApiKeyRequest,
    callback: grpc.requestCallback<_dmp_access_v1_CreateApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  createApiKey(
    argument: _dmp_access_v1_CreateApiKeyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_CreateApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  createApiKey(
    argument: _dmp_access_v1_CreateApiKeyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_access_v1_CreateApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  createApiKey(
    argument: _dmp_access_v1_CreateApiKeyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_CreateApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  createApiKey(
    argument: _dmp_access_v1_CreateApiKeyRequest,
    callback: grpc.requestCallback<_dmp_access_v1_CreateApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;

  CreateTenant(
    argument: _dmp_access_v1_CreateTenantRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_CreateTenantResponse__Output>
  ): grpc.ClientUnaryCall;
  CreateTenant(
    argument: _dmp_access_v1_CreateTenantRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_access_v1_CreateTenantResponse__Output>
  ): grpc.ClientUnaryCall;
  CreateTenant(
    argument: _dmp_access_v1_CreateTenantRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_CreateTenantResponse__Output>
  ): grpc.ClientUnaryCall;
  CreateTenant(
    argument: _dmp_access_v1_CreateTenantRequest,
    callback: grpc.requestCallback<_dmp_access_v1_CreateTenantResponse__Output>
  ): grpc.ClientUnaryCall;
  createTenant(
    argument: _dmp_access_v1_CreateTenantRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_CreateTenantResponse__Output>
  ): grpc.ClientUnaryCall;
  createTenant(
    argument: _dmp_access_v1_CreateTenantRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_access_v1_CreateTenantResponse__Output>
  ): grpc.ClientUnaryCall;
  createTenant(
    argument: _dmp_access_v1_CreateTenantRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_CreateTenantResponse__Output>
  ): grpc.ClientUnaryCall;
  createTenant(
    argument: _dmp_access_v1_CreateTenantRequest,
    callback: grpc.requestCallback<_dmp_access_v1_CreateTenantResponse__Output>
  ): grpc.ClientUnaryCall;

  ListApiKeys(
    argument: _dmp_access_v1_ListApiKeysRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_ListApiKeysResponse__Output>
  ): grpc.ClientUnaryCall;
  ListApiKeys(
    argument: _dmp_access_v1_ListApiKeysRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_access_v1_ListApiKeysResponse__Output>
  ): grpc.ClientUnaryCall;
  ListApiKeys(
    argument: _dmp_access_v1_ListApiKeysRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_ListApiKeysResponse__Output>
  ): grpc.ClientUnaryCall;
  ListApiKeys(
    argument: _dmp_access_v1_ListApiKeysRequest,
    callback: grpc.requestCallback<_dmp_access_v1_ListApiKeysResponse__Output>
  ): grpc.ClientUnaryCall;
  listApiKeys(
    argument: _dmp_access_v1_ListApiKeysRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_ListApiKeysResponse__Output>
  ): grpc.ClientUnaryCall;
  listApiKeys(
    argument: _dmp_access_v1_ListApiKeysRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_access_v1_ListApiKeysResponse__Output>
  ): grpc.ClientUnaryCall;
  listApiKeys(
    argument: _dmp_access_v1_ListApiKeysRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_ListApiKeysResponse__Output>
  ): grpc.ClientUnaryCall;
  listApiKeys(
    argument: _dmp_access_v1_ListApiKeysRequest,
    callback: grpc.requestCallback<_dmp_access_v1_ListApiKeysResponse__Output>
  ): grpc.ClientUnaryCall;

  RevokeApiKey(
    argument: _dmp_access_v1_RevokeApiKeyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_RevokeApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  RevokeApiKey(
    argument: _dmp_access_v1_RevokeApiKeyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_access_v1_RevokeApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  RevokeApiKey(
    argument: _dmp_access_v1_RevokeApiKeyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_RevokeApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  RevokeApiKey(
    argument: _dmp_access_v1_RevokeApiKeyRequest,
    callback: grpc.requestCallback<_dmp_access_v1_RevokeApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  revokeApiKey(
    argument: _dmp_access_v1_RevokeApiKeyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_RevokeApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  revokeApiKey(
    argument: _dmp_access_v1_RevokeApiKeyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_access_v1_RevokeApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  revokeApiKey(
    argument: _dmp_access_v1_RevokeApiKeyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_access_v1_RevokeApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
  revokeApiKey(
    argument: _dmp_access_v1_RevokeApiKeyRequest,
    callback: grpc.requestCallback<_dmp_access_v1_RevokeApiKeyResponse__Output>
  ): grpc.ClientUnaryCall;
}

export interface AccessServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateApiKey: grpc.handleUnaryCall<_dmp_access_v1_CreateApiKeyRequest__Output, _dmp_access_v1_CreateApiKeyResponse>;

  CreateTenant: grpc.handleUnaryCall<_dmp_access_v1_CreateTenantRequest__Output, _dmp_access_v1_CreateTenantResponse>;

  ListApiKeys: grpc.handleUnaryCall<_dmp_access_v1_ListApiKeysRequest__Output, _dmp_access_v1_ListApiKeysResponse>;

  RevokeApiKey: grpc.handleUnaryCall<_dmp_access_v1_RevokeApiKeyRequest__Output, _dmp_access_v1_RevokeApiKeyResponse>;
}

export interface AccessServiceDefinition extends grpc.ServiceDefinition {
  CreateApiKey: MethodDefinition<
    _dmp_access_v1_CreateApiKeyRequest,
    _dmp_access_v1_CreateApiKeyResponse,
    _dmp_access_v1_CreateApiKeyRequest__Output,
    _dmp_access_v1_CreateApiKeyResponse__Output
  >;
  CreateTenant: MethodDefinition<
    _dmp_access_v1_CreateTenantRequest,
    _dmp_access_v1_CreateTenantResponse,
    _dmp_access_v1_CreateTenantRequest__Output,
    _dmp_access_v1_CreateTenantResponse__Output
  >;
  ListApiKeys: MethodDefinition<
    _dmp_access_v1_ListApiKeysRequest,
    _dmp_access_v1_ListApiKeysResponse,
    _dmp_access_v1_ListApiKeysRequest__Output,
    _dmp_access_v1_ListApiKeysResponse__Output
  >;
  RevokeApiKey: MethodDefinition<
    _dmp_access_v1_RevokeApiKeyRequest,
    _dmp_access_v1_RevokeApiKeyResponse,
    _dmp_access_v1_RevokeApiKeyRequest__Output,
    _dmp_access_v1_RevokeApiKeyResponse__Output
  >;
}
