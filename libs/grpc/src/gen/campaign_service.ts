import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  CampaignServiceClient as _dmp_decisioning_v1_CampaignServiceClient,
  CampaignServiceDefinition as _dmp_decisioning_v1_CampaignServiceDefinition,
} from './dmp/decisioning/v1/CampaignService';
import type {
  CreativeStats as _dmp_decisioning_v1_CreativeStats,
  CreativeStats__Output as _dmp_decisioning_v1_CreativeStats__Output,
} from './dmp/decisioning/v1/CreativeStats';
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
        CreativeStats: MessageTypeDefinition<
          _dmp_decisioning_v1_CreativeStats,
          _dmp_decisioning_v1_CreativeStats__Output
        >;
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
        GroupStats: MessageTypeDefinition<_dmp_decisioning_v1_GroupStats, _dmp_decisioning_v1_GroupStats__Output>;
        ListCampaignsRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_ListCampaignsRequest,
          _dmp_decisioning_v1_ListCampaignsRequest__Output
        >;
        ListCampaignsResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_ListCampaignsResponse,
          _dmp_decisioning_v1_ListCampaignsResponse__Output
        >;
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
