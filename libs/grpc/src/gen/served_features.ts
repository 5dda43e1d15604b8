import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  ServedFeatures as _dmp_features_v1_ServedFeatures,
  ServedFeatures__Output as _dmp_features_v1_ServedFeatures__Output,
} from './dmp/features/v1/ServedFeatures';
import type {
  ServedItem as _dmp_features_v1_ServedItem,
  ServedItem__Output as _dmp_features_v1_ServedItem__Output,
} from './dmp/features/v1/ServedItem';
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
        ServedFeatures: MessageTypeDefinition<_dmp_features_v1_ServedFeatures, _dmp_features_v1_ServedFeatures__Output>;
        ServedItem: MessageTypeDefinition<_dmp_features_v1_ServedItem, _dmp_features_v1_ServedItem__Output>;
      };
    };
  };
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
    };
  };
}
