// Original file: ../../protos/dmp/events/v1/event.proto

export interface Device {
  type?: string;
  os?: string;
  model?: string;
}

export interface Device__Output {
  type: string;
  os: string;
  model: string;
}
