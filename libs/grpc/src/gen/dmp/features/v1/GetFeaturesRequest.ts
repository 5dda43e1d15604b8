// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  EntityType as _dmp_features_v1_EntityType,
  EntityType__Output as _dmp_features_v1_EntityType__Output,
} from '../../../dmp/features/v1/EntityType';

export interface GetFeaturesRequest {
  tenantId?: string;
  entityType?: _dmp_features_v1_EntityType;
  entityIds?: string[];
  featureNames?: string[];
}

export interface GetFeaturesRequest__Output {
  tenantId: string;
  entityType: _dmp_features_v1_EntityType__Output;
  entityIds: string[];
  featureNames: string[];
}
