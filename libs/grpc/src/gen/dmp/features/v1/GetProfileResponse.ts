// Original file: ../../protos/dmp/features/v1/profile_service.proto

import type {
  ConsentState as _dmp_features_v1_ConsentState,
  ConsentState__Output as _dmp_features_v1_ConsentState__Output,
} from '../../../dmp/features/v1/ConsentState';

export interface GetProfileResponse {
  profileId?: string;
  identifiers?: string[];
  consent?: _dmp_features_v1_ConsentState[];
  segments?: string[];
  features?: { [key: string]: number | string };
}

export interface GetProfileResponse__Output {
  profileId: string;
  identifiers: string[];
  consent: _dmp_features_v1_ConsentState__Output[];
  segments: string[];
  features: { [key: string]: number };
}
