// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  RecommendedItem as _dmp_decisioning_v1_RecommendedItem,
  RecommendedItem__Output as _dmp_decisioning_v1_RecommendedItem__Output,
} from '../../../dmp/decisioning/v1/RecommendedItem';

export interface RecommendResponse {
  decisionId?: string;
  items?: _dmp_decisioning_v1_RecommendedItem[];
  modelVersion?: string;
  personalized?: boolean;
}

export interface RecommendResponse__Output {
  decisionId: string;
  items: _dmp_decisioning_v1_RecommendedItem__Output[];
  modelVersion: string;
  personalized: boolean;
}
