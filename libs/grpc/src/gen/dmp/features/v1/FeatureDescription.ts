// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  EntityType as _dmp_features_v1_EntityType,
  EntityType__Output as _dmp_features_v1_EntityType__Output,
} from '../../../dmp/features/v1/EntityType';

export interface FeatureDescription {
  name?: string;
  entityType?: _dmp_features_v1_EntityType;
  description?: string;
  definitionJson?: string;
  default?: boolean;
}

export interface FeatureDescription__Output {
  name: string;
  entityType: _dmp_features_v1_EntityType__Output;
  description: string;
  definitionJson: string;
  default: boolean;
}
