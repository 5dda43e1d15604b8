// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export const EntityType = {
  ENTITY_TYPE_UNSPECIFIED: 'ENTITY_TYPE_UNSPECIFIED',
  ENTITY_TYPE_USER: 'ENTITY_TYPE_USER',
  ENTITY_TYPE_ITEM: 'ENTITY_TYPE_ITEM',
  ENTITY_TYPE_USER_CATEGORY: 'ENTITY_TYPE_USER_CATEGORY',
  ENTITY_TYPE_CATEGORY: 'ENTITY_TYPE_CATEGORY',
  ENTITY_TYPE_TENANT: 'ENTITY_TYPE_TENANT',
} as const;

export type EntityType =
  | 'ENTITY_TYPE_UNSPECIFIED'
  | 0
  | 'ENTITY_TYPE_USER'
  | 1
  | 'ENTITY_TYPE_ITEM'
  | 2
  | 'ENTITY_TYPE_USER_CATEGORY'
  | 3
  | 'ENTITY_TYPE_CATEGORY'
  | 4
  | 'ENTITY_TYPE_TENANT'
  | 5;

export type EntityType__Output = (typeof EntityType)[keyof typeof EntityType];
