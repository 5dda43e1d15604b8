// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  ScoredItem as _dmp_features_v1_ScoredItem,
  ScoredItem__Output as _dmp_features_v1_ScoredItem__Output,
} from '../../../dmp/features/v1/ScoredItem';

export interface SimilarItems {
  itemId?: string;
  neighbours?: _dmp_features_v1_ScoredItem[];
}

export interface SimilarItems__Output {
  itemId: string;
  neighbours: _dmp_features_v1_ScoredItem__Output[];
}
