// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  Offer as _dmp_decisioning_v1_Offer,
  Offer__Output as _dmp_decisioning_v1_Offer__Output,
} from '../../../dmp/decisioning/v1/Offer';
import type {
  NoOfferReason as _dmp_decisioning_v1_NoOfferReason,
  NoOfferReason__Output as _dmp_decisioning_v1_NoOfferReason__Output,
} from '../../../dmp/decisioning/v1/NoOfferReason';

export interface DecideResponse {
  decisionId?: string;
  offer?: _dmp_decisioning_v1_Offer | null;
  noOfferReason?: _dmp_decisioning_v1_NoOfferReason;
  contextualOnly?: boolean;
}

export interface DecideResponse__Output {
  decisionId: string;
  offer: _dmp_decisioning_v1_Offer__Output | null;
  noOfferReason: _dmp_decisioning_v1_NoOfferReason__Output;
  contextualOnly: boolean;
}
