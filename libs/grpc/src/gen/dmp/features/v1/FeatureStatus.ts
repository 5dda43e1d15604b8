// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

export const FeatureStatus = {
  FEATURE_STATUS_UNSPECIFIED: 'FEATURE_STATUS_UNSPECIFIED',
  FEATURE_STATUS_PRESENT: 'FEATURE_STATUS_PRESENT',
  FEATURE_STATUS_MISSING: 'FEATURE_STATUS_MISSING',
  FEATURE_STATUS_STALE: 'FEATURE_STATUS_STALE',
} as const;

export type FeatureStatus =
  | 'FEATURE_STATUS_UNSPECIFIED'
  | 0
  | 'FEATURE_STATUS_PRESENT'
  | 1
  | 'FEATURE_STATUS_MISSING'
  | 2
  | 'FEATURE_STATUS_STALE'
  | 3;

export type FeatureStatus__Output = (typeof FeatureStatus)[keyof typeof FeatureStatus];
