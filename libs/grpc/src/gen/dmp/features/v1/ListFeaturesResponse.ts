// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  FeatureDescription as _dmp_features_v1_FeatureDescription,
  FeatureDescription__Output as _dmp_features_v1_FeatureDescription__Output,
} from '../../../dmp/features/v1/FeatureDescription';

export interface ListFeaturesResponse {
  features?: _dmp_features_v1_FeatureDescription[];
}

export interface ListFeaturesResponse__Output {
  features: _dmp_features_v1_FeatureDescription__Output[];
}
