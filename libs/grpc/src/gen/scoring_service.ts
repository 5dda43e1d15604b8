import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  FeatureRow as _dmp_scoring_v1_FeatureRow,
  FeatureRow__Output as _dmp_scoring_v1_FeatureRow__Output,
} from './dmp/scoring/v1/FeatureRow';
import type {
  ScoreRequest as _dmp_scoring_v1_ScoreRequest,
  ScoreRequest__Output as _dmp_scoring_v1_ScoreRequest__Output,
} from './dmp/scoring/v1/ScoreRequest';
import type {
  ScoreResponse as _dmp_scoring_v1_ScoreResponse,
  ScoreResponse__Output as _dmp_scoring_v1_ScoreResponse__Output,
} from './dmp/scoring/v1/ScoreResponse';
import type {
  ScoringServiceClient as _dmp_scoring_v1_ScoringServiceClient,
  ScoringServiceDefinition as _dmp_scoring_v1_ScoringServiceDefinition,
} from './dmp/scoring/v1/ScoringService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dmp: {
    scoring: {
      v1: {
        FeatureRow: MessageTypeDefinition<_dmp_scoring_v1_FeatureRow, _dmp_scoring_v1_FeatureRow__Output>;
        ModelArm: EnumTypeDefinition;
        ScoreRequest: MessageTypeDefinition<_dmp_scoring_v1_ScoreRequest, _dmp_scoring_v1_ScoreRequest__Output>;
        ScoreResponse: MessageTypeDefinition<_dmp_scoring_v1_ScoreResponse, _dmp_scoring_v1_ScoreResponse__Output>;
        ScoringService: SubtypeConstructor<typeof grpc.Client, _dmp_scoring_v1_ScoringServiceClient> & {
          service: _dmp_scoring_v1_ScoringServiceDefinition;
        };
      };
    };
  };
}
