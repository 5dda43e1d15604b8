import {
  apiClients,
  type CampaignServiceClient,
  type DecisioningServiceClient,
  type FeatureStoreServiceClient,
  type IntakeServiceClient,
  type ProfileServiceClient,
} from '@dmp/grpc';

import { clientEndpoints, REPO_ROOT } from './endpoints';

/** Where the CLI finds each service: --addr wins, then the variables, then a running `dmp up`, then its ports. */
export const DEFAULT_ADDRESSES = clientEndpoints(REPO_ROOT);

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
