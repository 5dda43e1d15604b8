import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  ConsentState as _dmp_features_v1_ConsentState,
  ConsentState__Output as _dmp_features_v1_ConsentState__Output,
} from './dmp/features/v1/ConsentState';
import type {
  DeleteProfileRequest as _dmp_features_v1_DeleteProfileRequest,
  DeleteProfileRequest__Output as _dmp_features_v1_DeleteProfileRequest__Output,
} from './dmp/features/v1/DeleteProfileRequest';
import type {
  DeleteProfileResponse as _dmp_features_v1_DeleteProfileResponse,
  DeleteProfileResponse__Output as _dmp_features_v1_DeleteProfileResponse__Output,
} from './dmp/features/v1/DeleteProfileResponse';
import type {
  ErasureRecord as _dmp_features_v1_ErasureRecord,
  ErasureRecord__Output as _dmp_features_v1_ErasureRecord__Output,
} from './dmp/features/v1/ErasureRecord';
import type {
  GetProfileRequest as _dmp_features_v1_GetProfileRequest,
  GetProfileRequest__Output as _dmp_features_v1_GetProfileRequest__Output,
} from './dmp/features/v1/GetProfileRequest';
import type {
  GetProfileResponse as _dmp_features_v1_GetProfileResponse,
  GetProfileResponse__Output as _dmp_features_v1_GetProfileResponse__Output,
} from './dmp/features/v1/GetProfileResponse';
import type {
  ProfileServiceClient as _dmp_features_v1_ProfileServiceClient,
  ProfileServiceDefinition as _dmp_features_v1_ProfileServiceDefinition,
} from './dmp/features/v1/ProfileService';
import type {
  ResolveProfileRequest as _dmp_features_v1_ResolveProfileRequest,
  ResolveProfileRequest__Output as _dmp_features_v1_ResolveProfileRequest__Output,
} from './dmp/features/v1/ResolveProfileRequest';
import type {
  ResolveProfileResponse as _dmp_features_v1_ResolveProfileResponse,
  ResolveProfileResponse__Output as _dmp_features_v1_ResolveProfileResponse__Output,
} from './dmp/features/v1/ResolveProfileResponse';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    features: {
      v1: {
        ConsentState: MessageTypeDefinition<_dmp_features_v1_ConsentState, _dmp_features_v1_ConsentState__Output>;
        DeleteProfileRequest: MessageTypeDefinition<
          _dmp_features_v1_DeleteProfileRequest,
          _dmp_features_v1_DeleteProfileRequest__Output
        >;
        DeleteProfileResponse: MessageTypeDefinition<
          _dmp_features_v1_DeleteProfileResponse,
          _dmp_features_v1_DeleteProfileResponse__Output
        >;
        ErasureRecord: MessageTypeDefinition<_dmp_features_v1_ErasureRecord, _dmp_features_v1_ErasureRecord__Output>;
        GetProfileRequest: MessageTypeDefinition<
          _dmp_features_v1_GetProfileRequest,
          _dmp_features_v1_GetProfileRequest__Output
        >;
        GetProfileResponse: MessageTypeDefinition<
          _dmp_features_v1_GetProfileResponse,
          _dmp_features_v1_GetProfileResponse__Output
        >;
        ProfileService: SubtypeConstructor<typeof grpc.Client, _dmp_features_v1_ProfileServiceClient> & {
          service: _dmp_features_v1_ProfileServiceDefinition;
        };
        ResolveProfileRequest: MessageTypeDefinition<
          _dmp_features_v1_ResolveProfileRequest,
          _dmp_features_v1_ResolveProfileRequest__Output
        >;
        ResolveProfileResponse: MessageTypeDefinition<
          _dmp_features_v1_ResolveProfileResponse,
          _dmp_features_v1_ResolveProfileResponse__Output
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
