// Original file: ../../protos/dmp/scoring/v1/shadow_scores.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface ShadowScores {
  modelName?: string;
  servedVersion?: string;
  shadowVersion?: string;
  servedScores?: (number | string)[];
  shadowScores?: (number | string)[];
  subjectId?: string;
  requestId?: string;
  scoredAt?: _google_protobuf_Timestamp | null;
}

export interface ShadowScores__Output {
  modelName: string;
  servedVersion: string;
  shadowVersion: string;
  servedScores: number[];
  shadowScores: number[];
  subjectId: string;
  requestId: string;
  scoredAt: _google_protobuf_Timestamp__Output | null;
}
