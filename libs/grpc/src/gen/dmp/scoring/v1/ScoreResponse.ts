// Original file: ../../protos/dmp/scoring/v1/scoring_service.proto

import type {
  ModelArm as _dmp_scoring_v1_ModelArm,
  ModelArm__Output as _dmp_scoring_v1_ModelArm__Output,
} from '../../../dmp/scoring/v1/ModelArm';

export interface ScoreResponse {
  scores?: (number | string)[];
  modelName?: string;
  modelVersion?: string;
  arm?: _dmp_scoring_v1_ModelArm;
}

export interface ScoreResponse__Output {
  scores: number[];
  modelName: string;
  modelVersion: string;
  arm: _dmp_scoring_v1_ModelArm__Output;
}
