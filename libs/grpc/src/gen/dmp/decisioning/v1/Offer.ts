// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export interface Offer {
  campaignId?: string;
  creativeId?: string;
}

export interface Offer__Output {
  campaignId: string;
  creativeId: string;
}
