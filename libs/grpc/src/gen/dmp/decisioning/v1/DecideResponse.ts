// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  Offer as _dmp_decisioning_v1_Offer,
  Offer__Output as _dmp_decisioning_v1_Offer__Output,
} from '../../../dmp/decisioning/v1/Offer';

export interface DecideResponse {
  decisionId?: string;
  offer?: _dmp_decisioning_v1_Offer | null;
}

export interface DecideResponse__Output {
  decisionId: string;
  offer: _dmp_decisioning_v1_Offer__Output | null;
}
