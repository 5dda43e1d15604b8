import {
  apiClients,
  type CampaignServiceClient,
  type DecisioningServiceClient,
  type FeatureStoreServiceClient,
  type IntakeServiceClient,
  type ProfileServiceClient,
} from '@dmp/grpc';

/** Where the CLI finds each service: --addr wins, then these variables, then the ports of `dmp up`. */
export const DEFAULT_ADDRESSES = {
  intake: process.env['INTAKE_ADDR'] ?? '127.0.0.1:50051',
  featureStore: process.env['FEATURE_STORE_ADDR'] ?? '127.0.0.1:50052',
  decisioning: process.env['DECISIONING_ADDR'] ?? '127.0.0.1:50054',
};

export const intakeClient = (address = DEFAULT_ADDRESSES.intake): IntakeServiceClient =>
  apiClients.intake(address, { defaultDeadlineMs: 30_000 });

export const featureStoreClient = (address = DEFAULT_ADDRESSES.featureStore): FeatureStoreServiceClient =>
  apiClients.featureStore(address, { defaultDeadlineMs: 5_000 });

export const profilesClient = (address = DEFAULT_ADDRESSES.featureStore): ProfileServiceClient =>
  apiClients.profiles(address, { defaultDeadlineMs: 30_000 });

export const decisioningClient = (address = DEFAULT_ADDRESSES.decisioning): DecisioningServiceClient =>
  apiClients.decisioning(address, { defaultDeadlineMs: 5_000 });

export const campaignsClient = (address = DEFAULT_ADDRESSES.decisioning): CampaignServiceClient =>
  apiClients.campaigns(address, { defaultDeadlineMs: 5_000 });
