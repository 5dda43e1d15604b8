// Original file: ../../protos/dmp/delivery/v1/delivery.proto

import type {
  Delivery as _dmp_delivery_v1_Delivery,
  Delivery__Output as _dmp_delivery_v1_Delivery__Output,
} from '../../../dmp/delivery/v1/Delivery';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface DeadDelivery {
  delivery?: _dmp_delivery_v1_Delivery | null;
  reason?: string;
  attempts?: number;
  deadAt?: _google_protobuf_Timestamp | null;
}

export interface DeadDelivery__Output {
  delivery: _dmp_delivery_v1_Delivery__Output | null;
  reason: string;
  attempts: number;
  deadAt: _google_protobuf_Timestamp__Output | null;
}
