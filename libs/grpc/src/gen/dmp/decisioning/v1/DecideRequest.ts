// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  RequestContext as _dmp_decisioning_v1_RequestContext,
  RequestContext__Output as _dmp_decisioning_v1_RequestContext__Output,
} from '../../../dmp/decisioning/v1/RequestContext';

export interface DecideRequest {
  tenantId?: string;
  userId?: string;
  placement?: string;
  context?: _dmp_decisioning_v1_RequestContext | null;
  channel?: string;
}

export interface DecideRequest__Output {
  tenantId: string;
  userId: string;
  placement: string;
  context: _dmp_decisioning_v1_RequestContext__Output | null;
  channel: string;
}
