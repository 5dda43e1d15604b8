// The generated message and service types that services use, re-exported so nobody deep-imports gen/.
export type { Event, Event__Output } from './gen/dmp/events/v1/Event';
export type { Identities, Identities__Output } from './gen/dmp/events/v1/Identities';
export type { EventContext, EventContext__Output } from './gen/dmp/events/v1/EventContext';
export type { PropertyValue, PropertyValue__Output } from './gen/dmp/events/v1/PropertyValue';

export type { IntakeServiceClient, IntakeServiceHandlers } from './gen/dmp/intake/v1/IntakeService';
export type { IngestRequest, IngestRequest__Output } from './gen/dmp/intake/v1/IngestRequest';
export type { IngestResponse, IngestResponse__Output } from './gen/dmp/intake/v1/IngestResponse';
export type { EventResult, EventResult__Output } from './gen/dmp/intake/v1/EventResult';
export type { CatalogItem, CatalogItem__Output } from './gen/dmp/intake/v1/CatalogItem';
export type { UpsertItemsResponse__Output } from './gen/dmp/intake/v1/UpsertItemsResponse';
export type { PutSimilarItemsRequest } from './gen/dmp/features/v1/PutSimilarItemsRequest';
export type { PutSegmentResponse__Output } from './gen/dmp/features/v1/PutSegmentResponse';
export type { ListSegmentsResponse__Output } from './gen/dmp/features/v1/ListSegmentsResponse';
export type { GetSegmentsResponse__Output } from './gen/dmp/features/v1/GetSegmentsResponse';
export type { SegmentSizeResponse__Output } from './gen/dmp/features/v1/SegmentSizeResponse';
export type { ListMembersResponse__Output } from './gen/dmp/features/v1/ListMembersResponse';
export type { PutSimilarItemsResponse__Output } from './gen/dmp/features/v1/PutSimilarItemsResponse';
export type { ProfileServiceClient, ProfileServiceHandlers } from './gen/dmp/features/v1/ProfileService';
export type { ResolveProfileResponse__Output } from './gen/dmp/features/v1/ResolveProfileResponse';
export type { GetProfileResponse__Output } from './gen/dmp/features/v1/GetProfileResponse';
export type { DeleteProfileResponse__Output } from './gen/dmp/features/v1/DeleteProfileResponse';
export type { ErasureRecord, ErasureRecord__Output } from './gen/dmp/features/v1/ErasureRecord';
export { EventStatus } from './gen/dmp/intake/v1/EventStatus';
export type { IngestStreamRequest, IngestStreamRequest__Output } from './gen/dmp/intake/v1/IngestStreamRequest';
export type { IngestStreamResponse, IngestStreamResponse__Output } from './gen/dmp/intake/v1/IngestStreamResponse';
export type { EventType, EventType__Output } from './gen/dmp/intake/v1/EventType';
export type { ListEventTypesResponse__Output } from './gen/dmp/intake/v1/ListEventTypesResponse';
export type { PutEventTypeResponse__Output } from './gen/dmp/intake/v1/PutEventTypeResponse';

export type { FeatureStoreServiceClient, FeatureStoreServiceHandlers } from './gen/dmp/features/v1/FeatureStoreService';
export type { GetFeaturesRequest, GetFeaturesRequest__Output } from './gen/dmp/features/v1/GetFeaturesRequest';
export type { GetFeaturesResponse, GetFeaturesResponse__Output } from './gen/dmp/features/v1/GetFeaturesResponse';
export type { EntityFeatures, EntityFeatures__Output } from './gen/dmp/features/v1/EntityFeatures';
export type { FeatureValue, FeatureValue__Output } from './gen/dmp/features/v1/FeatureValue';
export { EntityType } from './gen/dmp/features/v1/EntityType';
export { FeatureStatus } from './gen/dmp/features/v1/FeatureStatus';
export type { FeatureDescription } from './gen/dmp/features/v1/FeatureDescription';
export type { ListFeaturesResponse__Output } from './gen/dmp/features/v1/ListFeaturesResponse';
export type { PutFeatureSetRequest } from './gen/dmp/features/v1/PutFeatureSetRequest';
export type { PutFeatureSetResponse__Output } from './gen/dmp/features/v1/PutFeatureSetResponse';
export type { RebuildFeaturesRequest } from './gen/dmp/features/v1/RebuildFeaturesRequest';
export type {
  RebuildFeaturesResponse,
  RebuildFeaturesResponse__Output,
} from './gen/dmp/features/v1/RebuildFeaturesResponse';
export type { ServedFeatures, ServedFeatures__Output } from './gen/dmp/features/v1/ServedFeatures';
export type { Delivery, Delivery__Output } from './gen/dmp/delivery/v1/Delivery';
export type { DeadDelivery, DeadDelivery__Output } from './gen/dmp/delivery/v1/DeadDelivery';

export type { ScoringServiceClient, ScoringServiceHandlers } from './gen/dmp/scoring/v1/ScoringService';
export type { ScoreRequest, ScoreRequest__Output } from './gen/dmp/scoring/v1/ScoreRequest';
export type { ScoreResponse, ScoreResponse__Output } from './gen/dmp/scoring/v1/ScoreResponse';
export type { FeatureRow, FeatureRow__Output } from './gen/dmp/scoring/v1/FeatureRow';
export type { ShadowScores, ShadowScores__Output } from './gen/dmp/scoring/v1/ShadowScores';

export type { DecisioningServiceClient, DecisioningServiceHandlers } from './gen/dmp/decisioning/v1/DecisioningService';
export type { RecommendRequest, RecommendRequest__Output } from './gen/dmp/decisioning/v1/RecommendRequest';
export type { RecommendResponse, RecommendResponse__Output } from './gen/dmp/decisioning/v1/RecommendResponse';
export type { RecommendedItem, RecommendedItem__Output } from './gen/dmp/decisioning/v1/RecommendedItem';
export { ReasonCode } from './gen/dmp/decisioning/v1/ReasonCode';
export type { NextContentRequest, NextContentRequest__Output } from './gen/dmp/decisioning/v1/NextContentRequest';
export type { NextContentResponse, NextContentResponse__Output } from './gen/dmp/decisioning/v1/NextContentResponse';
export type { GetRecommendRulesResponse__Output } from './gen/dmp/decisioning/v1/GetRecommendRulesResponse';
export type { PutRecommendRulesRequest } from './gen/dmp/decisioning/v1/PutRecommendRulesRequest';
export type { PutRecommendRulesResponse__Output } from './gen/dmp/decisioning/v1/PutRecommendRulesResponse';
export type { DecideRequest, DecideRequest__Output } from './gen/dmp/decisioning/v1/DecideRequest';
export type { DecideResponse, DecideResponse__Output } from './gen/dmp/decisioning/v1/DecideResponse';
export type { NoOfferReason } from './gen/dmp/decisioning/v1/NoOfferReason';
export type { CampaignServiceClient, CampaignServiceHandlers } from './gen/dmp/decisioning/v1/CampaignService';
export type { PutCampaignRequest } from './gen/dmp/decisioning/v1/PutCampaignRequest';
export type { PutCampaignResponse__Output } from './gen/dmp/decisioning/v1/PutCampaignResponse';
export type { GetCampaignResponse__Output } from './gen/dmp/decisioning/v1/GetCampaignResponse';
export type { ListCampaignsResponse__Output } from './gen/dmp/decisioning/v1/ListCampaignsResponse';
export type { SetCampaignStatusResponse__Output } from './gen/dmp/decisioning/v1/SetCampaignStatusResponse';
export type { PutContactPolicyResponse__Output } from './gen/dmp/decisioning/v1/PutContactPolicyResponse';
export type { GetContactPolicyResponse__Output } from './gen/dmp/decisioning/v1/GetContactPolicyResponse';
export type { GetCampaignStatsResponse__Output } from './gen/dmp/decisioning/v1/GetCampaignStatsResponse';
export type { ExplainDecisionResponse__Output } from './gen/dmp/decisioning/v1/ExplainDecisionResponse';
export type { DecisionRecord, DecisionRecord__Output } from './gen/dmp/decisioning/v1/DecisionRecord';

export type { AccessServiceClient, AccessServiceHandlers } from './gen/dmp/access/v1/AccessService';
export type { ApiKey, ApiKey__Output } from './gen/dmp/access/v1/ApiKey';
export type { CreateApiKeyResponse__Output } from './gen/dmp/access/v1/CreateApiKeyResponse';
export type { CreateTenantResponse__Output } from './gen/dmp/access/v1/CreateTenantResponse';
export type { ListApiKeysResponse__Output } from './gen/dmp/access/v1/ListApiKeysResponse';
export type { RevokeApiKeyResponse__Output } from './gen/dmp/access/v1/RevokeApiKeyResponse';
