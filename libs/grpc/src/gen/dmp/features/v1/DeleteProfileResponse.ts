// Original file: ../../protos/dmp/features/v1/profile_service.proto

import type {
  ErasureRecord as _dmp_features_v1_ErasureRecord,
  ErasureRecord__Output as _dmp_features_v1_ErasureRecord__Output,
} from '../../../dmp/features/v1/ErasureRecord';

export interface DeleteProfileResponse {
  record?: _dmp_features_v1_ErasureRecord | null;
}

export interface DeleteProfileResponse__Output {
  record: _dmp_features_v1_ErasureRecord__Output | null;
}
