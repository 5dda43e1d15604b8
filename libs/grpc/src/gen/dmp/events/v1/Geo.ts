// Original file: ../../protos/dmp/events/v1/event.proto

export interface Geo {
  country?: string;
  region?: string;
  city?: string;
}

export interface Geo__Output {
  country: string;
  region: string;
  city: string;
}
