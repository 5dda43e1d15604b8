// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  FeatureStatus as _dmp_features_v1_FeatureStatus,
  FeatureStatus__Output as _dmp_features_v1_FeatureStatus__Output,
} from '../../../dmp/features/v1/FeatureStatus';
import type {
  ItemList as _dmp_features_v1_ItemList,
  ItemList__Output as _dmp_features_v1_ItemList__Output,
} from '../../../dmp/features/v1/ItemList';
import type {
  ScoredItemList as _dmp_features_v1_ScoredItemList,
  ScoredItemList__Output as _dmp_features_v1_ScoredItemList__Output,
} from '../../../dmp/features/v1/ScoredItemList';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface FeatureValue {
  status?: _dmp_features_v1_FeatureStatus;
  numberValue?: number | string;
  itemListValue?: _dmp_features_v1_ItemList | null;
  scoredItemListValue?: _dmp_features_v1_ScoredItemList | null;
  eventTime?: _google_protobuf_Timestamp | null;
  value?: 'numberValue' | 'itemListValue' | 'scoredItemListValue';
}

export interface FeatureValue__Output {
  status: _dmp_features_v1_FeatureStatus__Output;
  numberValue?: number;
  itemListValue?: _dmp_features_v1_ItemList__Output | null;
  scoredItemListValue?: _dmp_features_v1_ScoredItemList__Output | null;
  eventTime: _google_protobuf_Timestamp__Output | null;
  value?: 'numberValue' | 'itemListValue' | 'scoredItemListValue';
}
