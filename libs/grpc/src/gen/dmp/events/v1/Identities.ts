// Original file: ../../protos/dmp/events/v1/event.proto

export interface Identities {
  userId?: string;
  anonymousId?: string;
  deviceId?: string;
}

export interface Identities__Output {
  userId: string;
  anonymousId: string;
  deviceId: string;
}
