// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  SimilarItems as _dmp_features_v1_SimilarItems,
  SimilarItems__Output as _dmp_features_v1_SimilarItems__Output,
} from '../../../dmp/features/v1/SimilarItems';

export interface PutSimilarItemsRequest {
  tenantId?: string;
  items?: _dmp_features_v1_SimilarItems[];
}

export interface PutSimilarItemsRequest__Output {
  tenantId: string;
  items: _dmp_features_v1_SimilarItems__Output[];
}
