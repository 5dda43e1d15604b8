// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  RecommendedItem as _dmp_decisioning_v1_RecommendedItem,
  RecommendedItem__Output as _dmp_decisioning_v1_RecommendedItem__Output,
} from '../../../dmp/decisioning/v1/RecommendedItem';
import type {
  FallbackReason as _dmp_decisioning_v1_FallbackReason,
  FallbackReason__Output as _dmp_decisioning_v1_FallbackReason__Output,
} from '../../../dmp/decisioning/v1/FallbackReason';

export interface NextContentResponse {
  decisionId?: string;
  items?: _dmp_decisioning_v1_RecommendedItem[];
  fallback?: _dmp_decisioning_v1_FallbackReason;
}

export interface NextContentResponse__Output {
  decisionId: string;
  items: _dmp_decisioning_v1_RecommendedItem__Output[];
  fallback: _dmp_decisioning_v1_FallbackReason__Output;
}
