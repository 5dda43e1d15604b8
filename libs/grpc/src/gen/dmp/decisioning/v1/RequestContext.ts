// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export interface RequestContext {
  channel?: string;
  pageCategory?: string;
  currentItemId?: string;
}

export interface RequestContext__Output {
  channel: string;
  pageCategory: string;
  currentItemId: string;
}
