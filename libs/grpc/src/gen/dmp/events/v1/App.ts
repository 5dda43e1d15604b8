// Original file: ../../protos/dmp/events/v1/event.proto

export interface App {
  name?: string;
  version?: string;
}

export interface App__Output {
  name: string;
  version: string;
}
