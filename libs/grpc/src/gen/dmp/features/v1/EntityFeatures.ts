// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  FeatureValue as _dmp_features_v1_FeatureValue,
  FeatureValue__Output as _dmp_features_v1_FeatureValue__Output,
} from '../../../dmp/features/v1/FeatureValue';

export interface EntityFeatures {
  entityId?: string;
  values?: _dmp_features_v1_FeatureValue[];
}

export interface EntityFeatures__Output {
  entityId: string;
  values: _dmp_features_v1_FeatureValue__Output[];
}
