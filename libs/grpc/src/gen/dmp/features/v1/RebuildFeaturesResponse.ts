// Original file: ../../protos/dmp/features/v1/feature_store_service.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface RebuildFeaturesResponse {
  build?: string;
  previousBuild?: string;
  eventsReplayed?: number | string | Long;
  eventsAlreadyApplied?: number | string | Long;
  replayedFrom?: _google_protobuf_Timestamp | null;
}

export interface RebuildFeaturesResponse__Output {
  build: string;
  previousBuild: string;
  eventsReplayed: string;
  eventsAlreadyApplied: string;
  replayedFrom: _google_protobuf_Timestamp__Output | null;
}
