import {
  createClient,
  loadProtos,
  type DecisioningServiceClient,
  type FeatureStoreServiceClient,
  type IntakeServiceClient,
  type ScoringServiceClient,
} from '@dmp/grpc';

/** Where the CLI finds each service: flags win, then these variables, then the `dmp up` defaults. */
export const DEFAULT_ADDRESSES = {
  intake: process.env['INTAKE_ADDR'] ?? '127.0.0.1:50051',
  featureStore: process.env['FEATURE_STORE_ADDR'] ?? '127.0.0.1:50052',
  scoring: process.env['SCORING_ADDR'] ?? '127.0.0.1:50053',
  decisioning: process.env['DECISIONING_ADDR'] ?? '127.0.0.1:50054',
};

const { protos } = loadProtos();

export const intakeClient = (address = DEFAULT_ADDRESSES.intake): IntakeServiceClient =>
  createClient(protos.dmp.intake.v1.IntakeService, address, { defaultDeadlineMs: 30_000 });

export const featureStoreClient = (address = DEFAULT_ADDRESSES.featureStore): FeatureStoreServiceClient =>
  createClient(protos.dmp.features.v1.FeatureStoreService, address, { defaultDeadlineMs: 5_000 });

export const scoringClient = (address = DEFAULT_ADDRESSES.scoring): ScoringServiceClient =>
  createClient(protos.dmp.scoring.v1.ScoringService, address, { defaultDeadlineMs: 5_000 });

export const decisioningClient = (address = DEFAULT_ADDRESSES.decisioning): DecisioningServiceClient =>
  createClient(protos.dmp.decisioning.v1.DecisioningService, address, { defaultDeadlineMs: 5_000 });
