// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export interface ItemList {
  itemIds?: string[];
}

export interface ItemList__Output {
  itemIds: string[];
}
