// Original file: ../../protos/dmp/events/v1/event.proto

export interface EventContext {
  channel?: string;
  placement?: string;
  pageCategory?: string;
}

export interface EventContext__Output {
  channel: string;
  placement: string;
  pageCategory: string;
}
