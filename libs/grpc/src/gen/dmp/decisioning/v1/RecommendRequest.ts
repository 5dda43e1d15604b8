// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

import type {
  RequestContext as _dmp_decisioning_v1_RequestContext,
  RequestContext__Output as _dmp_decisioning_v1_RequestContext__Output,
} from '../../../dmp/decisioning/v1/RequestContext';

export interface RecommendRequest {
  tenantId?: string;
  userId?: string;
  n?: number;
  surface?: string;
  context?: _dmp_decisioning_v1_RequestContext | null;
  excludeItemIds?: string[];
}

export interface RecommendRequest__Output {
  tenantId: string;
  userId: string;
  n: number;
  surface: string;
  context: _dmp_decisioning_v1_RequestContext__Output | null;
  excludeItemIds: string[];
}
