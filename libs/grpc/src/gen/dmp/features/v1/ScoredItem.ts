// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface ScoredItem {
  itemId?: string;
  score?: number | string;
}

export interface ScoredItem__Output {
  itemId: string;
  score: number;
}
