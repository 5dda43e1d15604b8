// Original file: ../../protos/dmp/access/v1/access_service.proto

import type {
  ApiKey as _dmp_access_v1_ApiKey,
  ApiKey__Output as _dmp_access_v1_ApiKey__Output,
} from '../../../dmp/access/v1/ApiKey';

export interface RevokeApiKeyResponse {
  apiKey?: _dmp_access_v1_ApiKey | null;
}

export interface RevokeApiKeyResponse__Output {
  apiKey: _dmp_access_v1_ApiKey__Output | null;
}
