// Original file: ../../protos/dmp/events/v1/event.proto

export interface PropertyValue {
  stringValue?: string;
  numberValue?: number | string;
  boolValue?: boolean;
  kind?: 'stringValue' | 'numberValue' | 'boolValue';
}

export interface PropertyValue__Output {
  stringValue?: string;
  numberValue?: number;
  boolValue?: boolean;
  kind?: 'stringValue' | 'numberValue' | 'boolValue';
}
