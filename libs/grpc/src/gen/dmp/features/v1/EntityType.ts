// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export const EntityType = {
  ENTITY_TYPE_UNSPECIFIED: 'ENTITY_TYPE_UNSPECIFIED',
  ENTITY_TYPE_USER: 'ENTITY_TYPE_USER',
  ENTITY_TYPE_ITEM: 'ENTITY_TYPE_ITEM',
} as const;

export type EntityType = 'ENTITY_TYPE_UNSPECIFIED' | 0 | 'ENTITY_TYPE_USER' | 1 | 'ENTITY_TYPE_ITEM' | 2;

export type EntityType__Output = (typeof EntityType)[keyof typeof EntityType];
