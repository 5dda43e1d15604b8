import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  AccessServiceClient as _dmp_access_v1_AccessServiceClient,
  AccessServiceDefinition as _dmp_access_v1_AccessServiceDefinition,
} from './dmp/access/v1/AccessService';
import type {
  ApiKey as _dmp_access_v1_ApiKey,
  ApiKey__Output as _dmp_access_v1_ApiKey__Output,
} from './dmp/access/v1/ApiKey';
import type {
  CreateApiKeyRequest as _dmp_access_v1_CreateApiKeyRequest,
  CreateApiKeyRequest__Output as _dmp_access_v1_CreateApiKeyRequest__Output,
} from './dmp/access/v1/CreateApiKeyRequest';
import type {
  CreateApiKeyResponse as _dmp_access_v1_CreateApiKeyResponse,
  CreateApiKeyResponse__Output as _dmp_access_v1_CreateApiKeyResponse__Output,
} from './dmp/access/v1/CreateApiKeyResponse';
import type {
  CreateTenantRequest as _dmp_access_v1_CreateTenantRequest,
  CreateTenantRequest__Output as _dmp_access_v1_CreateTenantRequest__Output,
} from './dmp/access/v1/CreateTenantRequest';
import type {
  CreateTenantResponse as _dmp_access_v1_CreateTenantResponse,
  CreateTenantResponse__Output as _dmp_access_v1_CreateTenantResponse__Output,
} from './dmp/access/v1/CreateTenantResponse';
import type {
  ListApiKeysRequest as _dmp_access_v1_ListApiKeysRequest,
  ListApiKeysRequest__Output as _dmp_access_v1_ListApiKeysRequest__Output,
} from './dmp/access/v1/ListApiKeysRequest';
import type {
  ListApiKeysResponse as _dmp_access_v1_ListApiKeysResponse,
  ListApiKeysResponse__Output as _dmp_access_v1_ListApiKeysResponse__Output,
} from './dmp/access/v1/ListApiKeysResponse';
import type {
  RevokeApiKeyRequest as _dmp_access_v1_RevokeApiKeyRequest,
  RevokeApiKeyRequest__Output as _dmp_access_v1_RevokeApiKeyRequest__Output,
} from './dmp/access/v1/RevokeApiKeyRequest';
import type {
  RevokeApiKeyResponse as _dmp_access_v1_RevokeApiKeyResponse,
  RevokeApiKeyResponse__Output as _dmp_access_v1_RevokeApiKeyResponse__Output,
} from './dmp/access/v1/RevokeApiKeyResponse';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    access: {
      v1: {
        AccessService: SubtypeConstructor<typeof grpc.Client, _dmp_access_v1_AccessServiceClient> & {
          service: _dmp_access_v1_AccessServiceDefinition;
        };
        ApiKey: MessageTypeDefinition<_dmp_access_v1_ApiKey, _dmp_access_v1_ApiKey__Output>;
        CreateApiKeyRequest: MessageTypeDefinition<
          _dmp_access_v1_CreateApiKeyRequest,
          _dmp_access_v1_CreateApiKeyRequest__Output
        >;
        CreateApiKeyResponse: MessageTypeDefinition<
          _dmp_access_v1_CreateApiKeyResponse,
          _dmp_access_v1_CreateApiKeyResponse__Output
        >;
        CreateTenantRequest: MessageTypeDefinition<
          _dmp_access_v1_CreateTenantRequest,
          _dmp_access_v1_CreateTenantRequest__Output
        >;
        CreateTenantResponse: MessageTypeDefinition<
          _dmp_access_v1_CreateTenantResponse,
          _dmp_access_v1_CreateTenantResponse__Output
        >;
        ListApiKeysRequest: MessageTypeDefinition<
          _dmp_access_v1_ListApiKeysRequest,
          _dmp_access_v1_ListApiKeysRequest__Output
        >;
        ListApiKeysResponse: MessageTypeDefinition<
          _dmp_access_v1_ListApiKeysResponse,
          _dmp_access_v1_ListApiKeysResponse__Output
        >;
        RevokeApiKeyRequest: MessageTypeDefinition<
          _dmp_access_v1_RevokeApiKeyRequest,
          _dmp_access_v1_RevokeApiKeyRequest__Output
        >;
        RevokeApiKeyResponse: MessageTypeDefinition<
          _dmp_access_v1_RevokeApiKeyResponse,
          _dmp_access_v1_RevokeApiKeyResponse__Output
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
