import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  ShadowScores as _dmp_scoring_v1_ShadowScores,
  ShadowScores__Output as _dmp_scoring_v1_ShadowScores__Output,
} from './dmp/scoring/v1/ShadowScores';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    scoring: {
      v1: {
        ShadowScores: MessageTypeDefinition<_dmp_scoring_v1_ShadowScores, _dmp_scoring_v1_ShadowScores__Output>;
      };
    };
  };
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
    };
  };
}
