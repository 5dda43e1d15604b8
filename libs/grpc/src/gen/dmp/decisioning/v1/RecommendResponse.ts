// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  RecommendedItem as _dmp_decisioning_v1_RecommendedItem,
  RecommendedItem__Output as _dmp_decisioning_v1_RecommendedItem__Output,
} from '../../../dmp/decisioning/v1/RecommendedItem';
import type {
  FallbackReason as _dmp_decisioning_v1_FallbackReason,
  FallbackReason__Output as _dmp_decisioning_v1_FallbackReason__Output,
} from '../../../dmp/decisioning/v1/FallbackReason';

export interface RecommendResponse {
  decisionId?: string;
  items?: _dmp_decisioning_v1_RecommendedItem[];
  modelVersion?: string;
  personalized?: boolean;
  fallback?: _dmp_decisioning_v1_FallbackReason;
}

export interface RecommendResponse__Output {
  decisionId: string;
  items: _dmp_decisioning_v1_RecommendedItem__Output[];
  modelVersion: string;
  personalized: boolean;
  fallback: _dmp_decisioning_v1_FallbackReason__Output;
}
