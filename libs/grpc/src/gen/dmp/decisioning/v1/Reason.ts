// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  ReasonCode as _dmp_decisioning_v1_ReasonCode,
  ReasonCode__Output as _dmp_decisioning_v1_ReasonCode__Output,
} from '../../../dmp/decisioning/v1/ReasonCode';

export interface Reason {
  code?: _dmp_decisioning_v1_ReasonCode;
  sourceItemId?: string;
  category?: string;
}

export interface Reason__Output {
  code: _dmp_decisioning_v1_ReasonCode__Output;
  sourceItemId: string;
  category: string;
}
