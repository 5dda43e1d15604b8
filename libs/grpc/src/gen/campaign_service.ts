import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  CampaignServiceClient as _dmp_decisioning_v1_CampaignServiceClient,
  CampaignServiceDefinition as _dmp_decisioning_v1_CampaignServiceDefinition,
} from './dmp/decisioning/v1/CampaignService';
import type {
  CampaignVerdict as _dmp_decisioning_v1_CampaignVerdict,
  CampaignVerdict__Output as _dmp_decisioning_v1_CampaignVerdict__Output,
} from './dmp/decisioning/v1/CampaignVerdict';
import type {
  CreativeStats as _dmp_decisioning_v1_CreativeStats,
  CreativeStats__Output as _dmp_decisioning_v1_CreativeStats__Output,
} from './dmp/decisioning/v1/CreativeStats';
import type {
  DecideRequest as _dmp_decisioning_v1_DecideRequest,
  DecideRequest__Output as _dmp_decisioning_v1_DecideRequest__Output,
} from './dmp/decisioning/v1/DecideRequest';
import type {
  DecideResponse as _dmp_decisioning_v1_DecideResponse,
  DecideResponse__Output as _dmp_decisioning_v1_DecideResponse__Output,
} from './dmp/decisioning/v1/DecideResponse';
import type {
  DecisioningServiceClient as _dmp_decisioning_v1_DecisioningServiceClient,
  DecisioningServiceDefinition as _dmp_decisioning_v1_DecisioningServiceDefinition,
} from './dmp/decisioning/v1/DecisioningService';
import type {
  ExplainDecisionRequest as _dmp_decisioning_v1_ExplainDecisionRequest,
  ExplainDecisionRequest__Output as _dmp_decisioning_v1_ExplainDecisionRequest__Output,
} from './dmp/decisioning/v1/ExplainDecisionRequest';
import type {
  ExplainDecisionResponse as _dmp_decisioning_v1_ExplainDecisionResponse,
  ExplainDecisionResponse__Output as _dmp_decisioning_v1_ExplainDecisionResponse__Output,
} from './dmp/decisioning/v1/ExplainDecisionResponse';
import type {
  GetCampaignRequest as _dmp_decisioning_v1_GetCampaignRequest,
  GetCampaignRequest__Output as _dmp_decisioning_v1_GetCampaignRequest__Output,
} from './dmp/decisioning/v1/GetCampaignRequest';
import type {
  GetCampaignResponse as _dmp_decisioning_v1_GetCampaignResponse,
  GetCampaignResponse__Output as _dmp_decisioning_v1_GetCampaignResponse__Output,
} from './dmp/decisioning/v1/GetCampaignResponse';
import type {
  GetCampaignStatsRequest as _dmp_decisioning_v1_GetCampaignStatsRequest,
  GetCampaignStatsRequest__Output as _dmp_decisioning_v1_GetCampaignStatsRequest__Output,
} from './dmp/decisioning/v1/GetCampaignStatsRequest';
import type {
  GetCampaignStatsResponse as _dmp_decisioning_v1_GetCampaignStatsResponse,
  GetCampaignStatsResponse__Output as _dmp_decisioning_v1_GetCampaignStatsResponse__Output,
} from './dmp/decisioning/v1/GetCampaignStatsResponse';
import type {
  GetContactPolicyRequest as _dmp_decisioning_v1_GetContactPolicyRequest,
  GetContactPolicyRequest__Output as _dmp_decisioning_v1_GetContactPolicyRequest__Output,
} from './dmp/decisioning/v1/GetContactPolicyRequest';
import type {
  GetContactPolicyResponse as _dmp_decisioning_v1_GetContactPolicyResponse,
  GetContactPolicyResponse__Output as _dmp_decisioning_v1_GetContactPolicyResponse__Output,
} from './dmp/decisioning/v1/GetContactPolicyResponse';
import type {
  GetRecommendRulesRequest as _dmp_decisioning_v1_GetRecommendRulesRequest,
  GetRecommendRulesRequest__Output as _dmp_decisioning_v1_GetRecommendRulesRequest__Output,
} from './dmp/decisioning/v1/GetRecommendRulesRequest';
import type {
  GetRecommendRulesResponse as _dmp_decisioning_v1_GetRecommendRulesResponse,
  GetRecommendRulesResponse__Output as _dmp_decisioning_v1_GetRecommendRulesResponse__Output,
} from './dmp/decisioning/v1/GetRecommendRulesResponse';
import type {
  GroupStats as _dmp_decisioning_v1_GroupStats,
  GroupStats__Output as _dmp_decisioning_v1_GroupStats__Output,
} from './dmp/decisioning/v1/GroupStats';
import type {
  ListCampaignsRequest as _dmp_decisioning_v1_ListCampaignsRequest,
  ListCampaignsRequest__Output as _dmp_decisioning_v1_ListCampaignsRequest__Output,
} from './dmp/decisioning/v1/ListCampaignsRequest';
import type {
  ListCampaignsResponse as _dmp_decisioning_v1_ListCampaignsResponse,
  ListCampaignsResponse__Output as _dmp_decisioning_v1_ListCampaignsResponse__Output,
} from './dmp/decisioning/v1/ListCampaignsResponse';
import type {
  NextContentRequest as _dmp_decisioning_v1_NextContentRequest,
  NextContentRequest__Output as _dmp_decisioning_v1_NextContentRequest__Output,
} from './dmp/decisioning/v1/NextContentRequest';
import type {
  NextContentResponse as _dmp_decisioning_v1_NextContentResponse,
  NextContentResponse__Output as _dmp_decisioning_v1_NextContentResponse__Output,
} from './dmp/decisioning/v1/NextContentResponse';
import type {
  Offer as _dmp_decisioning_v1_Offer,
  Offer__Output as _dmp_decisioning_v1_Offer__Output,
} from './dmp/decisioning/v1/Offer';
import type {
  PutCampaignRequest as _dmp_decisioning_v1_PutCampaignRequest,
  PutCampaignRequest__Output as _dmp_decisioning_v1_PutCampaignRequest__Output,
} from './dmp/decisioning/v1/PutCampaignRequest';
import type {
  PutCampaignResponse as _dmp_decisioning_v1_PutCampaignResponse,
  PutCampaignResponse__Output as _dmp_decisioning_v1_PutCampaignResponse__Output,
} from './dmp/decisioning/v1/PutCampaignResponse';
import type {
  PutContactPolicyRequest as _dmp_decisioning_v1_PutContactPolicyRequest,
  PutContactPolicyRequest__Output as _dmp_decisioning_v1_PutContactPolicyRequest__Output,
} from './dmp/decisioning/v1/PutContactPolicyRequest';
import type {
  PutContactPolicyResponse as _dmp_decisioning_v1_PutContactPolicyResponse,
  PutContactPolicyResponse__Output as _dmp_decisioning_v1_PutContactPolicyResponse__Output,
} from './dmp/decisioning/v1/PutContactPolicyResponse';
import type {
  PutRecommendRulesRequest as _dmp_decisioning_v1_PutRecommendRulesRequest,
  PutRecommendRulesRequest__Output as _dmp_decisioning_v1_PutRecommendRulesRequest__Output,
} from './dmp/decisioning/v1/PutRecommendRulesRequest';
import type {
  PutRecommendRulesResponse as _dmp_decisioning_v1_PutRecommendRulesResponse,
  PutRecommendRulesResponse__Output as _dmp_decisioning_v1_PutRecommendRulesResponse__Output,
} from './dmp/decisioning/v1/PutRecommendRulesResponse';
import type {
  Reason as _dmp_decisioning_v1_Reason,
  Reason__Output as _dmp_decisioning_v1_Reason__Output,
} from './dmp/decisioning/v1/Reason';
import type {
  RecommendRequest as _dmp_decisioning_v1_RecommendRequest,
  RecommendRequest__Output as _dmp_decisioning_v1_RecommendRequest__Output,
} from './dmp/decisioning/v1/RecommendRequest';
import type {
  RecommendResponse as _dmp_decisioning_v1_RecommendResponse,
  RecommendResponse__Output as _dmp_decisioning_v1_RecommendResponse__Output,
} from './dmp/decisioning/v1/RecommendResponse';
import type {
  RecommendedItem as _dmp_decisioning_v1_RecommendedItem,
  RecommendedItem__Output as _dmp_decisioning_v1_RecommendedItem__Output,
} from './dmp/decisioning/v1/RecommendedItem';
import type {
  RequestContext as _dmp_decisioning_v1_RequestContext,
  RequestContext__Output as _dmp_decisioning_v1_RequestContext__Output,
} from './dmp/decisioning/v1/RequestContext';
import type {
  SetCampaignStatusRequest as _dmp_decisioning_v1_SetCampaignStatusRequest,
  SetCampaignStatusRequest__Output as _dmp_decisioning_v1_SetCampaignStatusRequest__Output,
} from './dmp/decisioning/v1/SetCampaignStatusRequest';
import type {
  SetCampaignStatusResponse as _dmp_decisioning_v1_SetCampaignStatusResponse,
  SetCampaignStatusResponse__Output as _dmp_decisioning_v1_SetCampaignStatusResponse__Output,
} from './dmp/decisioning/v1/SetCampaignStatusResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    decisioning: {
      v1: {
        CampaignService: SubtypeConstructor<typeof grpc.Client, _dmp_decisioning_v1_CampaignServiceClient> & {
          service: _dmp_decisioning_v1_CampaignServiceDefinition;
        };
        CampaignVerdict: MessageTypeDefinition<
          _dmp_decisioning_v1_CampaignVerdict,
          _dmp_decisioning_v1_CampaignVerdict__Output
        >;
        CreativeStats: MessageTypeDefinition<
          _dmp_decisioning_v1_CreativeStats,
          _dmp_decisioning_v1_CreativeStats__Output
        >;
        DecideRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_DecideRequest,
          _dmp_decisioning_v1_DecideRequest__Output
        >;
        DecideResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_DecideResponse,
          _dmp_decisioning_v1_DecideResponse__Output
        >;
        DecisioningService: SubtypeConstructor<typeof grpc.Client, _dmp_decisioning_v1_DecisioningServiceClient> & {
          service: _dmp_decisioning_v1_DecisioningServiceDefinition;
        };
        ExplainDecisionRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_ExplainDecisionRequest,
          _dmp_decisioning_v1_ExplainDecisionRequest__Output
        >;
        ExplainDecisionResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_ExplainDecisionResponse,
          _dmp_decisioning_v1_ExplainDecisionResponse__Output
        >;
        FallbackReason: EnumTypeDefinition;
        GetCampaignRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_GetCampaignRequest,
          _dmp_decisioning_v1_GetCampaignRequest__Output
        >;
        GetCampaignResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_GetCampaignResponse,
          _dmp_decisioning_v1_GetCampaignResponse__Output
        >;
        GetCampaignStatsRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_GetCampaignStatsRequest,
          _dmp_decisioning_v1_GetCampaignStatsRequest__Output
        >;
        GetCampaignStatsResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_GetCampaignStatsResponse,
          _dmp_decisioning_v1_GetCampaignStatsResponse__Output
        >;
        GetContactPolicyRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_GetContactPolicyRequest,
          _dmp_decisioning_v1_GetContactPolicyRequest__Output
        >;
        GetContactPolicyResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_GetContactPolicyResponse,
          _dmp_decisioning_v1_GetContactPolicyResponse__Output
        >;
        GetRecommendRulesRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_GetRecommendRulesRequest,
          _dmp_decisioning_v1_GetRecommendRulesRequest__Output
        >;
        GetRecommendRulesResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_GetRecommendRulesResponse,
          _dmp_decisioning_v1_GetRecommendRulesResponse__Output
        >;
        GroupStats: MessageTypeDefinition<_dmp_decisioning_v1_GroupStats, _dmp_decisioning_v1_GroupStats__Output>;
        ListCampaignsRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_ListCampaignsRequest,
          _dmp_decisioning_v1_ListCampaignsRequest__Output
        >;
        ListCampaignsResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_ListCampaignsResponse,
          _dmp_decisioning_v1_ListCampaignsResponse__Output
        >;
        NextContentRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_NextContentRequest,
          _dmp_decisioning_v1_NextContentRequest__Output
        >;
        NextContentResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_NextContentResponse,
          _dmp_decisioning_v1_NextContentResponse__Output
        >;
        NoOfferReason: EnumTypeDefinition;
        Offer: MessageTypeDefinition<_dmp_decisioning_v1_Offer, _dmp_decisioning_v1_Offer__Output>;
        PutCampaignRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_PutCampaignRequest,
          _dmp_decisioning_v1_PutCampaignRequest__Output
        >;
        PutCampaignResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_PutCampaignResponse,
          _dmp_decisioning_v1_PutCampaignResponse__Output
        >;
        PutContactPolicyRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_PutContactPolicyRequest,
          _dmp_decisioning_v1_PutContactPolicyRequest__Output
        >;
        PutContactPolicyResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_PutContactPolicyResponse,
          _dmp_decisioning_v1_PutContactPolicyResponse__Output
        >;
        PutRecommendRulesRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_PutRecommendRulesRequest,
          _dmp_decisioning_v1_PutRecommendRulesRequest__Output
        >;
        PutRecommendRulesResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_PutRecommendRulesResponse,
          _dmp_decisioning_v1_PutRecommendRulesResponse__Output
        >;
        Reason: MessageTypeDefinition<_dmp_decisioning_v1_Reason, _dmp_decisioning_v1_Reason__Output>;
        ReasonCode: EnumTypeDefinition;
        RecommendRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_RecommendRequest,
          _dmp_decisioning_v1_RecommendRequest__Output
        >;
        RecommendResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_RecommendResponse,
          _dmp_decisioning_v1_RecommendResponse__Output
        >;
        RecommendedItem: MessageTypeDefinition<
          _dmp_decisioning_v1_RecommendedItem,
          _dmp_decisioning_v1_RecommendedItem__Output
        >;
        RequestContext: MessageTypeDefinition<
          _dmp_decisioning_v1_RequestContext,
          _dmp_decisioning_v1_RequestContext__Output
        >;
        SetCampaignStatusRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_SetCampaignStatusRequest,
          _dmp_decisioning_v1_SetCampaignStatusRequest__Output
        >;
        SetCampaignStatusResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_SetCampaignStatusResponse,
          _dmp_decisioning_v1_SetCampaignStatusResponse__Output
        >;
      };
    };
  };
}
