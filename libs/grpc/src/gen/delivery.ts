import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  DeadDelivery as _dmp_delivery_v1_DeadDelivery,
  DeadDelivery__Output as _dmp_delivery_v1_DeadDelivery__Output,
} from './dmp/delivery/v1/DeadDelivery';
import type {
  Delivery as _dmp_delivery_v1_Delivery,
  Delivery__Output as _dmp_delivery_v1_Delivery__Output,
} from './dmp/delivery/v1/Delivery';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    delivery: {
      v1: {
        DeadDelivery: MessageTypeDefinition<_dmp_delivery_v1_DeadDelivery, _dmp_delivery_v1_DeadDelivery__Output>;
        Delivery: MessageTypeDefinition<_dmp_delivery_v1_Delivery, _dmp_delivery_v1_Delivery__Output>;
      };
    };
  };
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
    };
  };
}
