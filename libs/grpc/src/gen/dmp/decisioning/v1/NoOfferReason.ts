// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export const NoOfferReason = {
  NO_OFFER_REASON_UNSPECIFIED: 'NO_OFFER_REASON_UNSPECIFIED',
  NO_OFFER_REASON_NONE_ELIGIBLE: 'NO_OFFER_REASON_NONE_ELIGIBLE',
  NO_OFFER_REASON_CAPPED: 'NO_OFFER_REASON_CAPPED',
  NO_OFFER_REASON_HOLDOUT: 'NO_OFFER_REASON_HOLDOUT',
  NO_OFFER_REASON_CAPS_UNAVAILABLE: 'NO_OFFER_REASON_CAPS_UNAVAILABLE',
} as const;

export type NoOfferReason =
  | 'NO_OFFER_REASON_UNSPECIFIED'
  | 0
  | 'NO_OFFER_REASON_NONE_ELIGIBLE'
  | 1
  | 'NO_OFFER_REASON_CAPPED'
  | 2
  | 'NO_OFFER_REASON_HOLDOUT'
  | 3
  | 'NO_OFFER_REASON_CAPS_UNAVAILABLE'
  | 4;

export type NoOfferReason__Output = (typeof NoOfferReason)[keyof typeof NoOfferReason];
