// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

import type {
  RequestContext as _dmp_decisioning_v1_RequestContext,
  RequestContext__Output as _dmp_decisioning_v1_RequestContext__Output,
} from '../../../dmp/decisioning/v1/RequestContext';

export interface ExplainDecisionRequest {
  tenantId?: string;
  userId?: string;
  placement?: string;
  context?: _dmp_decisioning_v1_RequestContext | null;
  channel?: string;
}

export interface ExplainDecisionRequest__Output {
  tenantId: string;
  userId: string;
  placement: string;
  context: _dmp_decisioning_v1_RequestContext__Output | null;
  channel: string;
}
