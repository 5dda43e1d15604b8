// Original file: ../../protos/dmp/decisioning/v1/campaign_service.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  ExplainDecisionRequest as _dmp_decisioning_v1_ExplainDecisionRequest,
  ExplainDecisionRequest__Output as _dmp_decisioning_v1_ExplainDecisionRequest__Output,
} from '../../../dmp/decisioning/v1/ExplainDecisionRequest';
import type {
  ExplainDecisionResponse as _dmp_decisioning_v1_ExplainDecisionResponse,
  ExplainDecisionResponse__Output as _dmp_decisioning_v1_ExplainDecisionResponse__Output,
} from '../../../dmp/decisioning/v1/ExplainDecisionResponse';
import type {
  GetCampaignRequest as _dmp_decisioning_v1_GetCampaignRequest,
  GetCampaignRequest__Output as _dmp_decisioning_v1_GetCampaignRequest__Output,
} from '../../../dmp/decisioning/v1/GetCampaignRequest';
import type {
  GetCampaignResponse as _dmp_decisioning_v1_GetCampaignResponse,
  GetCampaignResponse__Output as _dmp_decisioning_v1_GetCampaignResponse__Output,
} from '../../../dmp/decisioning/v1/GetCampaignResponse';
import type {
  GetCampaignStatsRequest as _dmp_decisioning_v1_GetCampaignStatsRequest,
  GetCampaignStatsRequest__Output as _dmp_decisioning_v1_GetCampaignStatsRequest__Output,
} from '../../../dmp/decisioning/v1/GetCampaignStatsRequest';
import type {
  GetCampaignStatsResponse as _dmp_decisioning_v1_GetCampaignStatsResponse,
  GetCampaignStatsResponse__Output as _dmp_decisioning_v1_GetCampaignStatsResponse__Output,
} from '../../../dmp/decisioning/v1/GetCampaignStatsResponse';
import type {
  GetContactPolicyRequest as _dmp_decisioning_v1_GetContactPolicyRequest,
  GetContactPolicyRequest__Output as _dmp_decisioning_v1_GetContactPolicyRequest__Output,
} from '../../../dmp/decisioning/v1/GetContactPolicyRequest';
import type {
  GetContactPolicyResponse as _dmp_decisioning_v1_GetContactPolicyResponse,
  GetContactPolicyResponse__Output as _dmp_decisioning_v1_GetContactPolicyResponse__Output,
} from '../../../dmp/decisioning/v1/GetContactPolicyResponse';
import type {
  ListCampaignsRequest as _dmp_decisioning_v1_ListCampaignsRequest,
  ListCampaignsRequest__Output as _dmp_decisioning_v1_ListCampaignsRequest__Output,
} from '../../../dmp/decisioning/v1/ListCampaignsRequest';
import type {
  ListCampaignsResponse as _dmp_decisioning_v1_ListCampaignsResponse,
  ListCampaignsResponse__Output as _dmp_decisioning_v1_ListCampaignsResponse__Output,
} from '../../../dmp/decisioning/v1/ListCampaignsResponse';
import type {
  PutCampaignRequest as _dmp_decisioning_v1_PutCampaignRequest,
  PutCampaignRequest__Output as _dmp_decisioning_v1_PutCampaignRequest__Output,
} from '../../../dmp/decisioning/v1/PutCampaignRequest';
import type {
  PutCampaignResponse as _dmp_decisioning_v1_PutCampaignResponse,
  PutCampaignResponse__Output as _dmp_decisioning_v1_PutCampaignResponse__Output,
} from '../../../dmp/decisioning/v1/PutCampaignResponse';
import type {
  PutContactPolicyRequest as _dmp_decisioning_v1_PutContactPolicyRequest,
  PutContactPolicyRequest__Output as _dmp_decisioning_v1_PutContactPolicyRequest__Output,
} from '../../../dmp/decisioning/v1/PutContactPolicyRequest';
import type {
  PutContactPolicyResponse as _dmp_decisioning_v1_PutContactPolicyResponse,
  PutContactPolicyResponse__Output as _dmp_decisioning_v1_PutContactPolicyResponse__Output,
} from '../../../dmp/decisioning/v1/PutContactPolicyResponse';
import type {
  SetCampaignStatusRequest as _dmp_decisioning_v1_SetCampaignStatusRequest,
  SetCampaignStatusRequest__Output as _dmp_decisioning_v1_SetCampaignStatusRequest__Output,
} from '../../../dmp/decisioning/v1/SetCampaignStatusRequest';
import type {
  SetCampaignStatusResponse as _dmp_decisioning_v1_SetCampaignStatusResponse,
  SetCampaignStatusResponse__Output as _dmp_decisioning_v1_SetCampaignStatusResponse__Output,
} from '../../../dmp/decisioning/v1/SetCampaignStatusResponse';

export interface CampaignServiceClient extends grpc.Client {
  ExplainDecision(
    argument: _dmp_decisioning_v1_ExplainDecisionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ExplainDecisionResponse__Output>
  ): grpc.ClientUnaryCall;
  ExplainDecision(
    argument: _dmp_decisioning_v1_ExplainDecisionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ExplainDecisionResponse__Output>
  ): grpc.ClientUnaryCall;
  ExplainDecision(
    argument: _dmp_decisioning_v1_ExplainDecisionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ExplainDecisionResponse__Output>
  ): grpc.ClientUnaryCall;
  ExplainDecision(
    argument: _dmp_decisioning_v1_ExplainDecisionRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ExplainDecisionResponse__Output>
  ): grpc.ClientUnaryCall;
  explainDecision(
    argument: _dmp_decisioning_v1_ExplainDecisionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ExplainDecisionResponse__Output>
  ): grpc.ClientUnaryCall;
  explainDecision(
    argument: _dmp_decisioning_v1_ExplainDecisionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ExplainDecisionResponse__Output>
  ): grpc.ClientUnaryCall;
  explainDecision(
    argument: _dmp_decisioning_v1_ExplainDecisionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ExplainDecisionResponse__Output>
  ): grpc.ClientUnaryCall;
  explainDecision(
    argument: _dmp_decisioning_v1_ExplainDecisionRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ExplainDecisionResponse__Output>
  ): grpc.ClientUnaryCall;

  GetCampaign(
    argument: _dmp_decisioning_v1_GetCampaignRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  GetCampaign(
    argument: _dmp_decisioning_v1_GetCampaignRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  GetCampaign(
    argument: _dmp_decisioning_v1_GetCampaignRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  GetCampaign(
    argument: _dmp_decisioning_v1_GetCampaignRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  getCampaign(
    argument: _dmp_decisioning_v1_GetCampaignRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  getCampaign(
    argument: _dmp_decisioning_v1_GetCampaignRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  getCampaign(
    argument: _dmp_decisioning_v1_GetCampaignRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  getCampaign(
    argument: _dmp_decisioning_v1_GetCampaignRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignResponse__Output>
  ): grpc.ClientUnaryCall;

  GetCampaignStats(
    argument: _dmp_decisioning_v1_GetCampaignStatsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignStatsResponse__Output>
  ): grpc.ClientUnaryCall;
  GetCampaignStats(
    argument: _dmp_decisioning_v1_GetCampaignStatsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignStatsResponse__Output>
  ): grpc.ClientUnaryCall;
  GetCampaignStats(
    argument: _dmp_decisioning_v1_GetCampaignStatsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignStatsResponse__Output>
  ): grpc.ClientUnaryCall;
  GetCampaignStats(
    argument: _dmp_decisioning_v1_GetCampaignStatsRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignStatsResponse__Output>
  ): grpc.ClientUnaryCall;
  getCampaignStats(
    argument: _dmp_decisioning_v1_GetCampaignStatsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignStatsResponse__Output>
  ): grpc.ClientUnaryCall;
  getCampaignStats(
    argument: _dmp_decisioning_v1_GetCampaignStatsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignStatsResponse__Output>
  ): grpc.ClientUnaryCall;
  getCampaignStats(
    argument: _dmp_decisioning_v1_GetCampaignStatsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignStatsResponse__Output>
  ): grpc.ClientUnaryCall;
  getCampaignStats(
    argument: _dmp_decisioning_v1_GetCampaignStatsRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetCampaignStatsResponse__Output>
  ): grpc.ClientUnaryCall;

  GetContactPolicy(
    argument: _dmp_decisioning_v1_GetContactPolicyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  GetContactPolicy(
    argument: _dmp_decisioning_v1_GetContactPolicyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  GetContactPolicy(
    argument: _dmp_decisioning_v1_GetContactPolicyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  GetContactPolicy(
    argument: _dmp_decisioning_v1_GetContactPolicyRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  getContactPolicy(
    argument: _dmp_decisioning_v1_GetContactPolicyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  getContactPolicy(
    argument: _dmp_decisioning_v1_GetContactPolicyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  getContactPolicy(
    argument: _dmp_decisioning_v1_GetContactPolicyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  getContactPolicy(
    argument: _dmp_decisioning_v1_GetContactPolicyRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_GetContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;

  ListCampaigns(
    argument: _dmp_decisioning_v1_ListCampaignsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ListCampaignsResponse__Output>
  ): grpc.ClientUnaryCall;
  ListCampaigns(
    argument: _dmp_decisioning_v1_ListCampaignsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ListCampaignsResponse__Output>
  ): grpc.ClientUnaryCall;
  ListCampaigns(
    argument: _dmp_decisioning_v1_ListCampaignsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ListCampaignsResponse__Output>
  ): grpc.ClientUnaryCall;
  ListCampaigns(
    argument: _dmp_decisioning_v1_ListCampaignsRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ListCampaignsResponse__Output>
  ): grpc.ClientUnaryCall;
  listCampaigns(
    argument: _dmp_decisioning_v1_ListCampaignsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ListCampaignsResponse__Output>
  ): grpc.ClientUnaryCall;
  listCampaigns(
    argument: _dmp_decisioning_v1_ListCampaignsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ListCampaignsResponse__Output>
  ): grpc.ClientUnaryCall;
  listCampaigns(
    argument: _dmp_decisioning_v1_ListCampaignsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ListCampaignsResponse__Output>
  ): grpc.ClientUnaryCall;
  listCampaigns(
    argument: _dmp_decisioning_v1_ListCampaignsRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_ListCampaignsResponse__Output>
  ): grpc.ClientUnaryCall;

  PutCampaign(
    argument: _dmp_decisioning_v1_PutCampaignRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  PutCampaign(
    argument: _dmp_decisioning_v1_PutCampaignRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  PutCampaign(
    argument: _dmp_decisioning_v1_PutCampaignRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  PutCampaign(
    argument: _dmp_decisioning_v1_PutCampaignRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  putCampaign(
    argument: _dmp_decisioning_v1_PutCampaignRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  putCampaign(
    argument: _dmp_decisioning_v1_PutCampaignRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  putCampaign(
    argument: _dmp_decisioning_v1_PutCampaignRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutCampaignResponse__Output>
  ): grpc.ClientUnaryCall;
  putCampaign(
    argument: _dmp_decisioning_v1_PutCampaignRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutCampaignResponse__Output>
  ): grpc.ClientUnaryCall;

  PutContactPolicy(
    argument: _dmp_decisioning_v1_PutContactPolicyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  PutContactPolicy(
    argument: _dmp_decisioning_v1_PutContactPolicyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  PutContactPolicy(
    argument: _dmp_decisioning_v1_PutContactPolicyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  PutContactPolicy(
    argument: _dmp_decisioning_v1_PutContactPolicyRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  putContactPolicy(
    argument: _dmp_decisioning_v1_PutContactPolicyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  putContactPolicy(
    argument: _dmp_decisioning_v1_PutContactPolicyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  putContactPolicy(
    argument: _dmp_decisioning_v1_PutContactPolicyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;
  putContactPolicy(
    argument: _dmp_decisioning_v1_PutContactPolicyRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_PutContactPolicyResponse__Output>
  ): grpc.ClientUnaryCall;

  SetCampaignStatus(
    argument: _dmp_decisioning_v1_SetCampaignStatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_SetCampaignStatusResponse__Output>
  ): grpc.ClientUnaryCall;
  SetCampaignStatus(
    argument: _dmp_decisioning_v1_SetCampaignStatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_SetCampaignStatusResponse__Output>
  ): grpc.ClientUnaryCall;
  SetCampaignStatus(
    argument: _dmp_decisioning_v1_SetCampaignStatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_SetCampaignStatusResponse__Output>
  ): grpc.ClientUnaryCall;
  SetCampaignStatus(
    argument: _dmp_decisioning_v1_SetCampaignStatusRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_SetCampaignStatusResponse__Output>
  ): grpc.ClientUnaryCall;
  setCampaignStatus(
    argument: _dmp_decisioning_v1_SetCampaignStatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_SetCampaignStatusResponse__Output>
  ): grpc.ClientUnaryCall;
  setCampaignStatus(
    argument: _dmp_decisioning_v1_SetCampaignStatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_decisioning_v1_SetCampaignStatusResponse__Output>
  ): grpc.ClientUnaryCall;
  setCampaignStatus(
    argument: _dmp_decisioning_v1_SetCampaignStatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_decisioning_v1_SetCampaignStatusResponse__Output>
  ): grpc.ClientUnaryCall;
  setCampaignStatus(
    argument: _dmp_decisioning_v1_SetCampaignStatusRequest,
    callback: grpc.requestCallback<_dmp_decisioning_v1_SetCampaignStatusResponse__Output>
  ): grpc.ClientUnaryCall;
}

export interface CampaignServiceHandlers extends grpc.UntypedServiceImplementation {
  ExplainDecision: grpc.handleUnaryCall<
    _dmp_decisioning_v1_ExplainDecisionRequest__Output,
    _dmp_decisioning_v1_ExplainDecisionResponse
  >;

  GetCampaign: grpc.handleUnaryCall<
    _dmp_decisioning_v1_GetCampaignRequest__Output,
    _dmp_decisioning_v1_GetCampaignResponse
  >;

  GetCampaignStats: grpc.handleUnaryCall<
    _dmp_decisioning_v1_GetCampaignStatsRequest__Output,
    _dmp_decisioning_v1_GetCampaignStatsResponse
  >;

  GetContactPolicy: grpc.handleUnaryCall<
    _dmp_decisioning_v1_GetContactPolicyRequest__Output,
    _dmp_decisioning_v1_GetContactPolicyResponse
  >;

  ListCampaigns: grpc.handleUnaryCall<
    _dmp_decisioning_v1_ListCampaignsRequest__Output,
    _dmp_decisioning_v1_ListCampaignsResponse
  >;

  PutCampaign: grpc.handleUnaryCall<
    _dmp_decisioning_v1_PutCampaignRequest__Output,
    _dmp_decisioning_v1_PutCampaignResponse
  >;

  PutContactPolicy: grpc.handleUnaryCall<
    _dmp_decisioning_v1_PutContactPolicyRequest__Output,
    _dmp_decisioning_v1_PutContactPolicyResponse
  >;

  SetCampaignStatus: grpc.handleUnaryCall<
    _dmp_decisioning_v1_SetCampaignStatusRequest__Output,
    _dmp_decisioning_v1_SetCampaignStatusResponse
  >;
}

export interface CampaignServiceDefinition extends grpc.ServiceDefinition {
  ExplainDecision: MethodDefinition<
    _dmp_decisioning_v1_ExplainDecisionRequest,
    _dmp_decisioning_v1_ExplainDecisionResponse,
    _dmp_decisioning_v1_ExplainDecisionRequest__Output,
    _dmp_decisioning_v1_ExplainDecisionResponse__Output
  >;
  GetCampaign: MethodDefinition<
    _dmp_decisioning_v1_GetCampaignRequest,
    _dmp_decisioning_v1_GetCampaignResponse,
    _dmp_decisioning_v1_GetCampaignRequest__Output,
    _dmp_decisioning_v1_GetCampaignResponse__Output
  >;
  GetCampaignStats: MethodDefinition<
    _dmp_decisioning_v1_GetCampaignStatsRequest,
    _dmp_decisioning_v1_GetCampaignStatsResponse,
    _dmp_decisioning_v1_GetCampaignStatsRequest__Output,
    _dmp_decisioning_v1_GetCampaignStatsResponse__Output
  >;
  GetContactPolicy: MethodDefinition<
    _dmp_decisioning_v1_GetContactPolicyRequest,
    _dmp_decisioning_v1_GetContactPolicyResponse,
    _dmp_decisioning_v1_GetContactPolicyRequest__Output,
    _dmp_decisioning_v1_GetContactPolicyResponse__Output
  >;
  ListCampaigns: MethodDefinition<
    _dmp_decisioning_v1_ListCampaignsRequest,
    _dmp_decisioning_v1_ListCampaignsResponse,
    _dmp_decisioning_v1_ListCampaignsRequest__Output,
    _dmp_decisioning_v1_ListCampaignsResponse__Output
  >;
  PutCampaign: MethodDefinition<
    _dmp_decisioning_v1_PutCampaignRequest,
    _dmp_decisioning_v1_PutCampaignResponse,
    _dmp_decisioning_v1_PutCampaignRequest__Output,
    _dmp_decisioning_v1_PutCampaignResponse__Output
  >;
  PutContactPolicy: MethodDefinition<
    _dmp_decisioning_v1_PutContactPolicyRequest,
    _dmp_decisioning_v1_PutContactPolicyResponse,
    _dmp_decisioning_v1_PutContactPolicyRequest__Output,
    _dmp_decisioning_v1_PutContactPolicyResponse__Output
  >;
  SetCampaignStatus: MethodDefinition<
    _dmp_decisioning_v1_SetCampaignStatusRequest,
    _dmp_decisioning_v1_SetCampaignStatusResponse,
    _dmp_decisioning_v1_SetCampaignStatusRequest__Output,
    _dmp_decisioning_v1_SetCampaignStatusResponse__Output
  >;
}
