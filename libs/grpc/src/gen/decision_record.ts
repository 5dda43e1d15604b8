import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  DecisionRecord as _dmp_decisioning_v1_DecisionRecord,
  DecisionRecord__Output as _dmp_decisioning_v1_DecisionRecord__Output,
} from './dmp/decisioning/v1/DecisionRecord';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    decisioning: {
      v1: {
        DecisionRecord: MessageTypeDefinition<
          _dmp_decisioning_v1_DecisionRecord,
          _dmp_decisioning_v1_DecisionRecord__Output
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
