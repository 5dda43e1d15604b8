// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  SegmentSummary as _dmp_features_v1_SegmentSummary,
  SegmentSummary__Output as _dmp_features_v1_SegmentSummary__Output,
} from '../../../dmp/features/v1/SegmentSummary';

export interface ListSegmentsResponse {
  segments?: _dmp_features_v1_SegmentSummary[];
}

export interface ListSegmentsResponse__Output {
  segments: _dmp_features_v1_SegmentSummary__Output[];
}
