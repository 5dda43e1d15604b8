// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  GetFeaturesRequest as _dmp_features_v1_GetFeaturesRequest,
  GetFeaturesRequest__Output as _dmp_features_v1_GetFeaturesRequest__Output,
} from '../../../dmp/features/v1/GetFeaturesRequest';
import type {
  GetFeaturesResponse as _dmp_features_v1_GetFeaturesResponse,
  GetFeaturesResponse__Output as _dmp_features_v1_GetFeaturesResponse__Output,
} from '../../../dmp/features/v1/GetFeaturesResponse';
import type {
  GetSegmentsRequest as _dmp_features_v1_GetSegmentsRequest,
  GetSegmentsRequest__Output as _dmp_features_v1_GetSegmentsRequest__Output,
} from '../../../dmp/features/v1/GetSegmentsRequest';
import type {
  GetSegmentsResponse as _dmp_features_v1_GetSegmentsResponse,
  GetSegmentsResponse__Output as _dmp_features_v1_GetSegmentsResponse__Output,
} from '../../../dmp/features/v1/GetSegmentsResponse';
import type {
  ListFeaturesRequest as _dmp_features_v1_ListFeaturesRequest,
  ListFeaturesRequest__Output as _dmp_features_v1_ListFeaturesRequest__Output,
} from '../../../dmp/features/v1/ListFeaturesRequest';
import type {
  ListFeaturesResponse as _dmp_features_v1_ListFeaturesResponse,
  ListFeaturesResponse__Output as _dmp_features_v1_ListFeaturesResponse__Output,
} from '../../../dmp/features/v1/ListFeaturesResponse';
import type {
  ListMembersRequest as _dmp_features_v1_ListMembersRequest,
  ListMembersRequest__Output as _dmp_features_v1_ListMembersRequest__Output,
} from '../../../dmp/features/v1/ListMembersRequest';
import type {
  ListMembersResponse as _dmp_features_v1_ListMembersResponse,
  ListMembersResponse__Output as _dmp_features_v1_ListMembersResponse__Output,
} from '../../../dmp/features/v1/ListMembersResponse';
import type {
  ListSegmentsRequest as _dmp_features_v1_ListSegmentsRequest,
  ListSegmentsRequest__Output as _dmp_features_v1_ListSegmentsRequest__Output,
} from '../../../dmp/features/v1/ListSegmentsRequest';
import type {
  ListSegmentsResponse as _dmp_features_v1_ListSegmentsResponse,
  ListSegmentsResponse__Output as _dmp_features_v1_ListSegmentsResponse__Output,
} from '../../../dmp/features/v1/ListSegmentsResponse';
import type {
  PutFeatureSetRequest as _dmp_features_v1_PutFeatureSetRequest,
  PutFeatureSetRequest__Output as _dmp_features_v1_PutFeatureSetRequest__Output,
} from '../../../dmp/features/v1/PutFeatureSetRequest';
import type {
  PutFeatureSetResponse as _dmp_features_v1_PutFeatureSetResponse,
  PutFeatureSetResponse__Output as _dmp_features_v1_PutFeatureSetResponse__Output,
} from '../../../dmp/features/v1/PutFeatureSetResponse';
import type {
  PutSegmentRequest as _dmp_features_v1_PutSegmentRequest,
  PutSegmentRequest__Output as _dmp_features_v1_PutSegmentRequest__Output,
} from '../../../dmp/features/v1/PutSegmentRequest';
import type {
  PutSegmentResponse as _dmp_features_v1_PutSegmentResponse,
  PutSegmentResponse__Output as _dmp_features_v1_PutSegmentResponse__Output,
} from '../../../dmp/features/v1/PutSegmentResponse';
import type {
  PutSimilarItemsRequest as _dmp_features_v1_PutSimilarItemsRequest,
  PutSimilarItemsRequest__Output as _dmp_features_v1_PutSimilarItemsRequest__Output,
} from '../../../dmp/features/v1/PutSimilarItemsRequest';
import type {
  PutSimilarItemsResponse as _dmp_features_v1_PutSimilarItemsResponse,
  PutSimilarItemsResponse__Output as _dmp_features_v1_PutSimilarItemsResponse__Output,
} from '../../../dmp/features/v1/PutSimilarItemsResponse';
import type {
  RebuildFeaturesRequest as _dmp_features_v1_RebuildFeaturesRequest,
  RebuildFeaturesRequest__Output as _dmp_features_v1_RebuildFeaturesRequest__Output,
} from '../../../dmp/features/v1/RebuildFeaturesRequest';
import type {
  RebuildFeaturesResponse as _dmp_features_v1_RebuildFeaturesResponse,
  RebuildFeaturesResponse__Output as _dmp_features_v1_RebuildFeaturesResponse__Output,
} from '../../../dmp/features/v1/RebuildFeaturesResponse';
import type {
  SegmentSizeRequest as _dmp_features_v1_SegmentSizeRequest,
  SegmentSizeRequest__Output as _dmp_features_v1_SegmentSizeRequest__Output,
} from '../../../dmp/features/v1/SegmentSizeRequest';
import type {
  SegmentSizeResponse as _dmp_features_v1_SegmentSizeResponse,
  SegmentSizeResponse__Output as _dmp_features_v1_SegmentSizeResponse__Output,
} from '../../../dmp/features/v1/SegmentSizeResponse';

export interface FeatureStoreServiceClient extends grpc.Client {
  GetFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  GetFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  getFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  getFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  getFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  getFeatures(
    argument: _dmp_features_v1_GetFeaturesRequest,
    callback: grpc.requestCallback<_dmp_features_v1_GetFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;

  GetSegments(
    argument: _dmp_features_v1_GetSegmentsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  GetSegments(
    argument: _dmp_features_v1_GetSegmentsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_GetSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  GetSegments(
    argument: _dmp_features_v1_GetSegmentsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  GetSegments(
    argument: _dmp_features_v1_GetSegmentsRequest,
    callback: grpc.requestCallback<_dmp_features_v1_GetSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  getSegments(
    argument: _dmp_features_v1_GetSegmentsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  getSegments(
    argument: _dmp_features_v1_GetSegmentsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_GetSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  getSegments(
    argument: _dmp_features_v1_GetSegmentsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_GetSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  getSegments(
    argument: _dmp_features_v1_GetSegmentsRequest,
    callback: grpc.requestCallback<_dmp_features_v1_GetSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;

  ListFeatures(
    argument: _dmp_features_v1_ListFeaturesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ListFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  ListFeatures(
    argument: _dmp_features_v1_ListFeaturesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_ListFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  ListFeatures(
    argument: _dmp_features_v1_ListFeaturesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ListFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  ListFeatures(
    argument: _dmp_features_v1_ListFeaturesRequest,
    callback: grpc.requestCallback<_dmp_features_v1_ListFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  listFeatures(
    argument: _dmp_features_v1_ListFeaturesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ListFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  listFeatures(
    argument: _dmp_features_v1_ListFeaturesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_ListFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  listFeatures(
    argument: _dmp_features_v1_ListFeaturesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ListFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  listFeatures(
    argument: _dmp_features_v1_ListFeaturesRequest,
    callback: grpc.requestCallback<_dmp_features_v1_ListFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;

  ListMembers(
    argument: _dmp_features_v1_ListMembersRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions
  ): grpc.ClientReadableStream<_dmp_features_v1_ListMembersResponse__Output>;
  ListMembers(
    argument: _dmp_features_v1_ListMembersRequest,
    options?: grpc.CallOptions
  ): grpc.ClientReadableStream<_dmp_features_v1_ListMembersResponse__Output>;
  listMembers(
    argument: _dmp_features_v1_ListMembersRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions
  ): grpc.ClientReadableStream<_dmp_features_v1_ListMembersResponse__Output>;
  listMembers(
    argument: _dmp_features_v1_ListMembersRequest,
    options?: grpc.CallOptions
  ): grpc.ClientReadableStream<_dmp_features_v1_ListMembersResponse__Output>;

  ListSegments(
    argument: _dmp_features_v1_ListSegmentsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ListSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  ListSegments(
    argument: _dmp_features_v1_ListSegmentsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_ListSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  ListSegments(
    argument: _dmp_features_v1_ListSegmentsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ListSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  ListSegments(
    argument: _dmp_features_v1_ListSegmentsRequest,
    callback: grpc.requestCallback<_dmp_features_v1_ListSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  listSegments(
    argument: _dmp_features_v1_ListSegmentsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ListSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  listSegments(
    argument: _dmp_features_v1_ListSegmentsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_ListSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  listSegments(
    argument: _dmp_features_v1_ListSegmentsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_ListSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;
  listSegments(
    argument: _dmp_features_v1_ListSegmentsRequest,
    callback: grpc.requestCallback<_dmp_features_v1_ListSegmentsResponse__Output>
  ): grpc.ClientUnaryCall;

  PutFeatureSet(
    argument: _dmp_features_v1_PutFeatureSetRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutFeatureSetResponse__Output>
  ): grpc.ClientUnaryCall;
  PutFeatureSet(
    argument: _dmp_features_v1_PutFeatureSetRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_PutFeatureSetResponse__Output>
  ): grpc.ClientUnaryCall;
  PutFeatureSet(
    argument: _dmp_features_v1_PutFeatureSetRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutFeatureSetResponse__Output>
  ): grpc.ClientUnaryCall;
  PutFeatureSet(
    argument: _dmp_features_v1_PutFeatureSetRequest,
    callback: grpc.requestCallback<_dmp_features_v1_PutFeatureSetResponse__Output>
  ): grpc.ClientUnaryCall;
  putFeatureSet(
    argument: _dmp_features_v1_PutFeatureSetRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutFeatureSetResponse__Output>
  ): grpc.ClientUnaryCall;
  putFeatureSet(
    argument: _dmp_features_v1_PutFeatureSetRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_PutFeatureSetResponse__Output>
  ): grpc.ClientUnaryCall;
  putFeatureSet(
    argument: _dmp_features_v1_PutFeatureSetRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutFeatureSetResponse__Output>
  ): grpc.ClientUnaryCall;
  putFeatureSet(
    argument: _dmp_features_v1_PutFeatureSetRequest,
    callback: grpc.requestCallback<_dmp_features_v1_PutFeatureSetResponse__Output>
  ): grpc.ClientUnaryCall;

  PutSegment(
    argument: _dmp_features_v1_PutSegmentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutSegmentResponse__Output>
  ): grpc.ClientUnaryCall;
  PutSegment(
    argument: _dmp_features_v1_PutSegmentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_PutSegmentResponse__Output>
  ): grpc.ClientUnaryCall;
  PutSegment(
    argument: _dmp_features_v1_PutSegmentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutSegmentResponse__Output>
  ): grpc.ClientUnaryCall;
  PutSegment(
    argument: _dmp_features_v1_PutSegmentRequest,
    callback: grpc.requestCallback<_dmp_features_v1_PutSegmentResponse__Output>
  ): grpc.ClientUnaryCall;
  putSegment(
    argument: _dmp_features_v1_PutSegmentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutSegmentResponse__Output>
  ): grpc.ClientUnaryCall;
  putSegment(
    argument: _dmp_features_v1_PutSegmentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_PutSegmentResponse__Output>
  ): grpc.ClientUnaryCall;
  putSegment(
    argument: _dmp_features_v1_PutSegmentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutSegmentResponse__Output>
  ): grpc.ClientUnaryCall;
  putSegment(
    argument: _dmp_features_v1_PutSegmentRequest,
    callback: grpc.requestCallback<_dmp_features_v1_PutSegmentResponse__Output>
  ): grpc.ClientUnaryCall;

  PutSimilarItems(
    argument: _dmp_features_v1_PutSimilarItemsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutSimilarItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  PutSimilarItems(
    argument: _dmp_features_v1_PutSimilarItemsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_PutSimilarItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  PutSimilarItems(
    argument: _dmp_features_v1_PutSimilarItemsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutSimilarItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  PutSimilarItems(
    argument: _dmp_features_v1_PutSimilarItemsRequest,
    callback: grpc.requestCallback<_dmp_features_v1_PutSimilarItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  putSimilarItems(
    argument: _dmp_features_v1_PutSimilarItemsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutSimilarItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  putSimilarItems(
    argument: _dmp_features_v1_PutSimilarItemsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_PutSimilarItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  putSimilarItems(
    argument: _dmp_features_v1_PutSimilarItemsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_PutSimilarItemsResponse__Output>
  ): grpc.ClientUnaryCall;
  putSimilarItems(
    argument: _dmp_features_v1_PutSimilarItemsRequest,
    callback: grpc.requestCallback<_dmp_features_v1_PutSimilarItemsResponse__Output>
  ): grpc.ClientUnaryCall;

  RebuildFeatures(
    argument: _dmp_features_v1_RebuildFeaturesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_RebuildFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  RebuildFeatures(
    argument: _dmp_features_v1_RebuildFeaturesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_RebuildFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  RebuildFeatures(
    argument: _dmp_features_v1_RebuildFeaturesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_RebuildFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  RebuildFeatures(
    argument: _dmp_features_v1_RebuildFeaturesRequest,
    callback: grpc.requestCallback<_dmp_features_v1_RebuildFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  rebuildFeatures(
    argument: _dmp_features_v1_RebuildFeaturesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_RebuildFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  rebuildFeatures(
    argument: _dmp_features_v1_RebuildFeaturesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_RebuildFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  rebuildFeatures(
    argument: _dmp_features_v1_RebuildFeaturesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_RebuildFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;
  rebuildFeatures(
    argument: _dmp_features_v1_RebuildFeaturesRequest,
    callback: grpc.requestCallback<_dmp_features_v1_RebuildFeaturesResponse__Output>
  ): grpc.ClientUnaryCall;

  SegmentSize(
    argument: _dmp_features_v1_SegmentSizeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_SegmentSizeResponse__Output>
  ): grpc.ClientUnaryCall;
  SegmentSize(
    argument: _dmp_features_v1_SegmentSizeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_SegmentSizeResponse__Output>
  ): grpc.ClientUnaryCall;
  SegmentSize(
    argument: _dmp_features_v1_SegmentSizeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_SegmentSizeResponse__Output>
  ): grpc.ClientUnaryCall;
  SegmentSize(
    argument: _dmp_features_v1_SegmentSizeRequest,
    callback: grpc.requestCallback<_dmp_features_v1_SegmentSizeResponse__Output>
  ): grpc.ClientUnaryCall;
  segmentSize(
    argument: _dmp_features_v1_SegmentSizeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_SegmentSizeResponse__Output>
  ): grpc.ClientUnaryCall;
  segmentSize(
    argument: _dmp_features_v1_SegmentSizeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_dmp_features_v1_SegmentSizeResponse__Output>
  ): grpc.ClientUnaryCall;
  segmentSize(
    argument: _dmp_features_v1_SegmentSizeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_dmp_features_v1_SegmentSizeResponse__Output>
  ): grpc.ClientUnaryCall;
  segmentSize(
    argument: _dmp_features_v1_SegmentSizeRequest,
    callback: grpc.requestCallback<_dmp_features_v1_SegmentSizeResponse__Output>
  ): grpc.ClientUnaryCall;
}

export interface FeatureStoreServiceHandlers extends grpc.UntypedServiceImplementation {
  GetFeatures: grpc.handleUnaryCall<_dmp_features_v1_GetFeaturesRequest__Output, _dmp_features_v1_GetFeaturesResponse>;

  GetSegments: grpc.handleUnaryCall<_dmp_features_v1_GetSegmentsRequest__Output, _dmp_features_v1_GetSegmentsResponse>;

  ListFeatures: grpc.handleUnaryCall<
    _dmp_features_v1_ListFeaturesRequest__Output,
    _dmp_features_v1_ListFeaturesResponse
  >;

  ListMembers: grpc.handleServerStreamingCall<
    _dmp_features_v1_ListMembersRequest__Output,
    _dmp_features_v1_ListMembersResponse
  >;

  ListSegments: grpc.handleUnaryCall<
    _dmp_features_v1_ListSegmentsRequest__Output,
    _dmp_features_v1_ListSegmentsResponse
  >;

  PutFeatureSet: grpc.handleUnaryCall<
    _dmp_features_v1_PutFeatureSetRequest__Output,
    _dmp_features_v1_PutFeatureSetResponse
  >;

  PutSegment: grpc.handleUnaryCall<_dmp_features_v1_PutSegmentRequest__Output, _dmp_features_v1_PutSegmentResponse>;

  PutSimilarItems: grpc.handleUnaryCall<
    _dmp_features_v1_PutSimilarItemsRequest__Output,
    _dmp_features_v1_PutSimilarItemsResponse
  >;

  RebuildFeatures: grpc.handleUnaryCall<
    _dmp_features_v1_RebuildFeaturesRequest__Output,
    _dmp_features_v1_RebuildFeaturesResponse
  >;

  SegmentSize: grpc.handleUnaryCall<_dmp_features_v1_SegmentSizeRequest__Output, _dmp_features_v1_SegmentSizeResponse>;
}

export interface FeatureStoreServiceDefinition extends grpc.ServiceDefinition {
  GetFeatures: MethodDefinition<
    _dmp_features_v1_GetFeaturesRequest,
    _dmp_features_v1_GetFeaturesResponse,
    _dmp_features_v1_GetFeaturesRequest__Output,
    _dmp_features_v1_GetFeaturesResponse__Output
  >;
  GetSegments: MethodDefinition<
    _dmp_features_v1_GetSegmentsRequest,
    _dmp_features_v1_GetSegmentsResponse,
    _dmp_features_v1_GetSegmentsRequest__Output,
    _dmp_features_v1_GetSegmentsResponse__Output
  >;
  ListFeatures: MethodDefinition<
    _dmp_features_v1_ListFeaturesRequest,
    _dmp_features_v1_ListFeaturesResponse,
    _dmp_features_v1_ListFeaturesRequest__Output,
    _dmp_features_v1_ListFeaturesResponse__Output
  >;
  ListMembers: MethodDefinition<
    _dmp_features_v1_ListMembersRequest,
    _dmp_features_v1_ListMembersResponse,
    _dmp_features_v1_ListMembersRequest__Output,
    _dmp_features_v1_ListMembersResponse__Output
  >;
  ListSegments: MethodDefinition<
    _dmp_features_v1_ListSegmentsRequest,
    _dmp_features_v1_ListSegmentsResponse,
    _dmp_features_v1_ListSegmentsRequest__Output,
    _dmp_features_v1_ListSegmentsResponse__Output
  >;
  PutFeatureSet: MethodDefinition<
    _dmp_features_v1_PutFeatureSetRequest,
    _dmp_features_v1_PutFeatureSetResponse,
    _dmp_features_v1_PutFeatureSetRequest__Output,
    _dmp_features_v1_PutFeatureSetResponse__Output
  >;
  PutSegment: MethodDefinition<
    _dmp_features_v1_PutSegmentRequest,
    _dmp_features_v1_PutSegmentResponse,
    _dmp_features_v1_PutSegmentRequest__Output,
    _dmp_features_v1_PutSegmentResponse__Output
  >;
  PutSimilarItems: MethodDefinition<
    _dmp_features_v1_PutSimilarItemsRequest,
    _dmp_features_v1_PutSimilarItemsResponse,
    _dmp_features_v1_PutSimilarItemsRequest__Output,
    _dmp_features_v1_PutSimilarItemsResponse__Output
  >;
  RebuildFeatures: MethodDefinition<
    _dmp_features_v1_RebuildFeaturesRequest,
    _dmp_features_v1_RebuildFeaturesResponse,
    _dmp_features_v1_RebuildFeaturesRequest__Output,
    _dmp_features_v1_RebuildFeaturesResponse__Output
  >;
  SegmentSize: MethodDefinition<
    _dmp_features_v1_SegmentSizeRequest,
    _dmp_features_v1_SegmentSizeResponse,
    _dmp_features_v1_SegmentSizeRequest__Output,
    _dmp_features_v1_SegmentSizeResponse__Output
  >;
}
