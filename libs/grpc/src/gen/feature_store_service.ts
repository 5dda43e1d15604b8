import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  EntityFeatures as _dmp_features_v1_EntityFeatures,
  EntityFeatures__Output as _dmp_features_v1_EntityFeatures__Output,
} from './dmp/features/v1/EntityFeatures';
import type {
  FeatureDescription as _dmp_features_v1_FeatureDescription,
  FeatureDescription__Output as _dmp_features_v1_FeatureDescription__Output,
} from './dmp/features/v1/FeatureDescription';
import type {
  FeatureStoreServiceClient as _dmp_features_v1_FeatureStoreServiceClient,
  FeatureStoreServiceDefinition as _dmp_features_v1_FeatureStoreServiceDefinition,
} from './dmp/features/v1/FeatureStoreService';
import type {
  FeatureValue as _dmp_features_v1_FeatureValue,
  FeatureValue__Output as _dmp_features_v1_FeatureValue__Output,
} from './dmp/features/v1/FeatureValue';
import type {
  GetFeaturesRequest as _dmp_features_v1_GetFeaturesRequest,
  GetFeaturesRequest__Output as _dmp_features_v1_GetFeaturesRequest__Output,
} from './dmp/features/v1/GetFeaturesRequest';
import type {
  GetFeaturesResponse as _dmp_features_v1_GetFeaturesResponse,
  GetFeaturesResponse__Output as _dmp_features_v1_GetFeaturesResponse__Output,
} from './dmp/features/v1/GetFeaturesResponse';
import type {
  GetSegmentsRequest as _dmp_features_v1_GetSegmentsRequest,
  GetSegmentsRequest__Output as _dmp_features_v1_GetSegmentsRequest__Output,
} from './dmp/features/v1/GetSegmentsRequest';
import type {
  GetSegmentsResponse as _dmp_features_v1_GetSegmentsResponse,
  GetSegmentsResponse__Output as _dmp_features_v1_GetSegmentsResponse__Output,
} from './dmp/features/v1/GetSegmentsResponse';
import type {
  ItemList as _dmp_features_v1_ItemList,
  ItemList__Output as _dmp_features_v1_ItemList__Output,
} from './dmp/features/v1/ItemList';
import type {
  ListFeaturesRequest as _dmp_features_v1_ListFeaturesRequest,
  ListFeaturesRequest__Output as _dmp_features_v1_ListFeaturesRequest__Output,
} from './dmp/features/v1/ListFeaturesRequest';
import type {
  ListFeaturesResponse as _dmp_features_v1_ListFeaturesResponse,
  ListFeaturesResponse__Output as _dmp_features_v1_ListFeaturesResponse__Output,
} from './dmp/features/v1/ListFeaturesResponse';
import type {
  ListMembersRequest as _dmp_features_v1_ListMembersRequest,
  ListMembersRequest__Output as _dmp_features_v1_ListMembersRequest__Output,
} from './dmp/features/v1/ListMembersRequest';
import type {
  ListMembersResponse as _dmp_features_v1_ListMembersResponse,
  ListMembersResponse__Output as _dmp_features_v1_ListMembersResponse__Output,
} from './dmp/features/v1/ListMembersResponse';
import type {
  ListSegmentsRequest as _dmp_features_v1_ListSegmentsRequest,
  ListSegmentsRequest__Output as _dmp_features_v1_ListSegmentsRequest__Output,
} from './dmp/features/v1/ListSegmentsRequest';
import type {
  ListSegmentsResponse as _dmp_features_v1_ListSegmentsResponse,
  ListSegmentsResponse__Output as _dmp_features_v1_ListSegmentsResponse__Output,
} from './dmp/features/v1/ListSegmentsResponse';
import type {
  PutFeatureSetRequest as _dmp_features_v1_PutFeatureSetRequest,
  PutFeatureSetRequest__Output as _dmp_features_v1_PutFeatureSetRequest__Output,
} from './dmp/features/v1/PutFeatureSetRequest';
import type {
  PutFeatureSetResponse as _dmp_features_v1_PutFeatureSetResponse,
  PutFeatureSetResponse__Output as _dmp_features_v1_PutFeatureSetResponse__Output,
} from './dmp/features/v1/PutFeatureSetResponse';
import type {
  PutSegmentRequest as _dmp_features_v1_PutSegmentRequest,
  PutSegmentRequest__Output as _dmp_features_v1_PutSegmentRequest__Output,
} from './dmp/features/v1/PutSegmentRequest';
import type {
  PutSegmentResponse as _dmp_features_v1_PutSegmentResponse,
  PutSegmentResponse__Output as _dmp_features_v1_PutSegmentResponse__Output,
} from './dmp/features/v1/PutSegmentResponse';
import type {
  PutSimilarItemsRequest as _dmp_features_v1_PutSimilarItemsRequest,
  PutSimilarItemsRequest__Output as _dmp_features_v1_PutSimilarItemsRequest__Output,
} from './dmp/features/v1/PutSimilarItemsRequest';
import type {
  PutSimilarItemsResponse as _dmp_features_v1_PutSimilarItemsResponse,
  PutSimilarItemsResponse__Output as _dmp_features_v1_PutSimilarItemsResponse__Output,
} from './dmp/features/v1/PutSimilarItemsResponse';
import type {
  RebuildFeaturesRequest as _dmp_features_v1_RebuildFeaturesRequest,
  RebuildFeaturesRequest__Output as _dmp_features_v1_RebuildFeaturesRequest__Output,
} from './dmp/features/v1/RebuildFeaturesRequest';
import type {
  RebuildFeaturesResponse as _dmp_features_v1_RebuildFeaturesResponse,
  RebuildFeaturesResponse__Output as _dmp_features_v1_RebuildFeaturesResponse__Output,
} from './dmp/features/v1/RebuildFeaturesResponse';
import type {
  ScoredItem as _dmp_features_v1_ScoredItem,
  ScoredItem__Output as _dmp_features_v1_ScoredItem__Output,
} from './dmp/features/v1/ScoredItem';
import type {
  ScoredItemList as _dmp_features_v1_ScoredItemList,
  ScoredItemList__Output as _dmp_features_v1_ScoredItemList__Output,
} from './dmp/features/v1/ScoredItemList';
import type {
  SegmentSizeRequest as _dmp_features_v1_SegmentSizeRequest,
  SegmentSizeRequest__Output as _dmp_features_v1_SegmentSizeRequest__Output,
} from './dmp/features/v1/SegmentSizeRequest';
import type {
  SegmentSizeResponse as _dmp_features_v1_SegmentSizeResponse,
  SegmentSizeResponse__Output as _dmp_features_v1_SegmentSizeResponse__Output,
} from './dmp/features/v1/SegmentSizeResponse';
import type {
  SegmentSummary as _dmp_features_v1_SegmentSummary,
  SegmentSummary__Output as _dmp_features_v1_SegmentSummary__Output,
} from './dmp/features/v1/SegmentSummary';
import type {
  SimilarItems as _dmp_features_v1_SimilarItems,
  SimilarItems__Output as _dmp_features_v1_SimilarItems__Output,
} from './dmp/features/v1/SimilarItems';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    features: {
      v1: {
        EntityFeatures: MessageTypeDefinition<_dmp_features_v1_EntityFeatures, _dmp_features_v1_EntityFeatures__Output>;
        EntityType: EnumTypeDefinition;
        FeatureDescription: MessageTypeDefinition<
          _dmp_features_v1_FeatureDescription,
          _dmp_features_v1_FeatureDescription__Output
        >;
        FeatureStatus: EnumTypeDefinition;
        FeatureStoreService: SubtypeConstructor<typeof grpc.Client, _dmp_features_v1_FeatureStoreServiceClient> & {
          service: _dmp_features_v1_FeatureStoreServiceDefinition;
        };
        FeatureValue: MessageTypeDefinition<_dmp_features_v1_FeatureValue, _dmp_features_v1_FeatureValue__Output>;
        GetFeaturesRequest: MessageTypeDefinition<
          _dmp_features_v1_GetFeaturesRequest,
          _dmp_features_v1_GetFeaturesRequest__Output
        >;
        GetFeaturesResponse: MessageTypeDefinition<
          _dmp_features_v1_GetFeaturesResponse,
          _dmp_features_v1_GetFeaturesResponse__Output
        >;
        GetSegmentsRequest: MessageTypeDefinition<
          _dmp_features_v1_GetSegmentsRequest,
          _dmp_features_v1_GetSegmentsRequest__Output
        >;
        GetSegmentsResponse: MessageTypeDefinition<
          _dmp_features_v1_GetSegmentsResponse,
          _dmp_features_v1_GetSegmentsResponse__Output
        >;
        ItemList: MessageTypeDefinition<_dmp_features_v1_ItemList, _dmp_features_v1_ItemList__Output>;
        ListFeaturesRequest: MessageTypeDefinition<
          _dmp_features_v1_ListFeaturesRequest,
          _dmp_features_v1_ListFeaturesRequest__Output
        >;
        ListFeaturesResponse: MessageTypeDefinition<
          _dmp_features_v1_ListFeaturesResponse,
          _dmp_features_v1_ListFeaturesResponse__Output
        >;
        ListMembersRequest: MessageTypeDefinition<
          _dmp_features_v1_ListMembersRequest,
          _dmp_features_v1_ListMembersRequest__Output
        >;
        ListMembersResponse: MessageTypeDefinition<
          _dmp_features_v1_ListMembersResponse,
          _dmp_features_v1_ListMembersResponse__Output
        >;
        ListSegmentsRequest: MessageTypeDefinition<
          _dmp_features_v1_ListSegmentsRequest,
          _dmp_features_v1_ListSegmentsRequest__Output
        >;
        ListSegmentsResponse: MessageTypeDefinition<
          _dmp_features_v1_ListSegmentsResponse,
          _dmp_features_v1_ListSegmentsResponse__Output
        >;
        PutFeatureSetRequest: MessageTypeDefinition<
          _dmp_features_v1_PutFeatureSetRequest,
          _dmp_features_v1_PutFeatureSetRequest__Output
        >;
        PutFeatureSetResponse: MessageTypeDefinition<
          _dmp_features_v1_PutFeatureSetResponse,
          _dmp_features_v1_PutFeatureSetResponse__Output
        >;
        PutSegmentRequest: MessageTypeDefinition<
          _dmp_features_v1_PutSegmentRequest,
          _dmp_features_v1_PutSegmentRequest__Output
        >;
        PutSegmentResponse: MessageTypeDefinition<
          _dmp_features_v1_PutSegmentResponse,
          _dmp_features_v1_PutSegmentResponse__Output
        >;
        PutSimilarItemsRequest: MessageTypeDefinition<
          _dmp_features_v1_PutSimilarItemsRequest,
          _dmp_features_v1_PutSimilarItemsRequest__Output
        >;
        PutSimilarItemsResponse: MessageTypeDefinition<
          _dmp_features_v1_PutSimilarItemsResponse,
          _dmp_features_v1_PutSimilarItemsResponse__Output
        >;
        RebuildFeaturesRequest: MessageTypeDefinition<
          _dmp_features_v1_RebuildFeaturesRequest,
          _dmp_features_v1_RebuildFeaturesRequest__Output
        >;
        RebuildFeaturesResponse: MessageTypeDefinition<
          _dmp_features_v1_RebuildFeaturesResponse,
          _dmp_features_v1_RebuildFeaturesResponse__Output
        >;
        ScoredItem: MessageTypeDefinition<_dmp_features_v1_ScoredItem, _dmp_features_v1_ScoredItem__Output>;
        ScoredItemList: MessageTypeDefinition<_dmp_features_v1_ScoredItemList, _dmp_features_v1_ScoredItemList__Output>;
        SegmentSizeRequest: MessageTypeDefinition<
          _dmp_features_v1_SegmentSizeRequest,
          _dmp_features_v1_SegmentSizeRequest__Output
        >;
        SegmentSizeResponse: MessageTypeDefinition<
          _dmp_features_v1_SegmentSizeResponse,
          _dmp_features_v1_SegmentSizeResponse__Output
        >;
        SegmentSummary: MessageTypeDefinition<_dmp_features_v1_SegmentSummary, _dmp_features_v1_SegmentSummary__Output>;
        SimilarItems: MessageTypeDefinition<_dmp_features_v1_SimilarItems, _dmp_features_v1_SimilarItems__Output>;
      };
    };
  };
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
    };
  };
}
