// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export interface Offer {
  campaignId?: string;
  creativeId?: string;
  campaignVersion?: number;
  score?: number | string;
  propensity?: number | string;
  modelVersion?: string;
  channel?: string;
}

export interface Offer__Output {
  campaignId: string;
  creativeId: string;
  campaignVersion: number;
  score: number;
  propensity: number;
  modelVersion: string;
  channel: string;
}
