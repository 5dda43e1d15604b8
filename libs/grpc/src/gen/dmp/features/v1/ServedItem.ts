// Original file: ../../protos/dmp/features/v1/served_features.proto

export interface ServedItem {
  itemId?: string;
  position?: number;
  score?: number | string;
  values?: (number | string)[];
}

export interface ServedItem__Output {
  itemId: string;
  position: number;
  score: number;
  values: number[];
}
