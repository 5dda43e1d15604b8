// Original file: ../../protos/dmp/scoring/v1/scoring_service.proto

import type {
  FeatureRow as _dmp_scoring_v1_FeatureRow,
  FeatureRow__Output as _dmp_scoring_v1_FeatureRow__Output,
} from '../../../dmp/scoring/v1/FeatureRow';

export interface ScoreRequest {
  tenantId?: string;
  modelName?: string;
  rows?: _dmp_scoring_v1_FeatureRow[];
  subjectId?: string;
  featureNames?: string[];
  requestId?: string;
}

export interface ScoreRequest__Output {
  tenantId: string;
  modelName: string;
  rows: _dmp_scoring_v1_FeatureRow__Output[];
  subjectId: string;
  featureNames: string[];
  requestId: string;
}
