import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

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
  GetRecommendRulesRequest as _dmp_decisioning_v1_GetRecommendRulesRequest,
  GetRecommendRulesRequest__Output as _dmp_decisioning_v1_GetRecommendRulesRequest__Output,
} from './dmp/decisioning/v1/GetRecommendRulesRequest';
import type {
  GetRecommendRulesResponse as _dmp_decisioning_v1_GetRecommendRulesResponse,
  GetRecommendRulesResponse__Output as _dmp_decisioning_v1_GetRecommendRulesResponse__Output,
} from './dmp/decisioning/v1/GetRecommendRulesResponse';
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

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    decisioning: {
      v1: {
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
        FallbackReason: EnumTypeDefinition;
        GetRecommendRulesRequest: MessageTypeDefinition<
          _dmp_decisioning_v1_GetRecommendRulesRequest,
          _dmp_decisioning_v1_GetRecommendRulesRequest__Output
        >;
        GetRecommendRulesResponse: MessageTypeDefinition<
          _dmp_decisioning_v1_GetRecommendRulesResponse,
          _dmp_decisioning_v1_GetRecommendRulesResponse__Output
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
      };
    };
  };
}
