// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  Reason as _dmp_decisioning_v1_Reason,
  Reason__Output as _dmp_decisioning_v1_Reason__Output,
} from '../../../dmp/decisioning/v1/Reason';

export interface RecommendedItem {
  itemId?: string;
  score?: number | string;
  reasons?: _dmp_decisioning_v1_Reason[];
}

export interface RecommendedItem__Output {
  itemId: string;
  score: number;
  reasons: _dmp_decisioning_v1_Reason__Output[];
}
