// Original file: ../../protos/dmp/events/v1/event.proto

export interface Identities {
  userId?: string;
  anonymousId?: string;
  deviceId?: string;
  msisdn?: string;
  email?: string;
  msisdnHash?: string;
  emailHash?: string;
  hashKeyId?: string;
}

export interface Identities__Output {
  userId: string;
  anonymousId: string;
  deviceId: string;
  msisdn: string;
  email: string;
  msisdnHash: string;
  emailHash: string;
  hashKeyId: string;
}
