// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  EntityFeatures as _dmp_features_v1_EntityFeatures,
  EntityFeatures__Output as _dmp_features_v1_EntityFeatures__Output,
} from '../../../dmp/features/v1/EntityFeatures';

export interface GetFeaturesResponse {
  entities?: _dmp_features_v1_EntityFeatures[];
}

export interface GetFeaturesResponse__Output {
  entities: _dmp_features_v1_EntityFeatures__Output[];
}
