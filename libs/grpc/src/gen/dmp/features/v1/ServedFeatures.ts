// Original file: ../../protos/dmp/features/v1/served_features.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';
import type {
  ServedItem as _dmp_features_v1_ServedItem,
  ServedItem__Output as _dmp_features_v1_ServedItem__Output,
} from '../../../dmp/features/v1/ServedItem';

export interface ServedFeatures {
  decisionId?: string;
  tenantId?: string;
  userId?: string;
  decisionKind?: string;
  modelVersion?: string;
  servedAt?: _google_protobuf_Timestamp | null;
  featureNames?: string[];
  items?: _dmp_features_v1_ServedItem[];
}

export interface ServedFeatures__Output {
  decisionId: string;
  tenantId: string;
  userId: string;
  decisionKind: string;
  modelVersion: string;
  servedAt: _google_protobuf_Timestamp__Output | null;
  featureNames: string[];
  items: _dmp_features_v1_ServedItem__Output[];
}
