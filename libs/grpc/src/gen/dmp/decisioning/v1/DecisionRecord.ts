// Original file: ../../protos/dmp/decisioning/v1/decision_record.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';

export interface DecisionRecord {
  decisionId?: string;
  tenantId?: string;
  subjectId?: string;
  kind?: string;
  placement?: string;
  triggerEventId?: string;
  campaignId?: string;
  campaignVersion?: number;
  creativeId?: string;
  channel?: string;
  holdout?: boolean;
  noOffer?: string;
  contextualOnly?: boolean;
  score?: number | string;
  propensity?: number | string;
  modelVersion?: string;
  refused?: string[];
  decidedAt?: _google_protobuf_Timestamp | null;
}

export interface DecisionRecord__Output {
  decisionId: string;
  tenantId: string;
  subjectId: string;
  kind: string;
  placement: string;
  triggerEventId: string;
  campaignId: string;
  campaignVersion: number;
  creativeId: string;
  channel: string;
  holdout: boolean;
  noOffer: string;
  contextualOnly: boolean;
  score: number;
  propensity: number;
  modelVersion: string;
  refused: string[];
  decidedAt: _google_protobuf_Timestamp__Output | null;
}
