import {
  apiClients,
  tlsFilesFromEnv,
  type AccessServiceClient,
  type CampaignServiceClient,
  type DecisioningServiceClient,
  type FeatureStoreServiceClient,
  type IntakeServiceClient,
  type ProfileServiceClient,
} from '@dmp/grpc';

import { cliApiKey } from './dev-keys';
import { clientEndpoints, REPO_ROOT } from './endpoints';

/** Where the CLI finds each service: --addr wins, then the variables, then a running `dmp up`, then its ports. */
export const DEFAULT_ADDRESSES = clientEndpoints(REPO_ROOT);

/** Sent with every call: DMP_API_KEY, else `dmp up`'s dev key (.dmp/dev-api-key). */
const withKey = (defaultDeadlineMs: number) => {
  // Read when a client is made: `dmp up` makes the dev key after this module loads.
  const apiKey = cliApiKey(REPO_ROOT);
  // A platform with TLS: the same TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE as its services.
  const tls = tlsFilesFromEnv(process.env);
  return { defaultDeadlineMs, ...(apiKey !== undefined && { apiKey }), ...(tls && { tls }) };
};

export const intakeClient = (address = DEFAULT_ADDRESSES.intake): IntakeServiceClient =>
  apiClients.intake(address, withKey(30_000));

export const featureStoreClient = (address = DEFAULT_ADDRESSES.featureStore): FeatureStoreServiceClient =>
  apiClients.featureStore(address, withKey(5_000));

export const profilesClient = (address = DEFAULT_ADDRESSES.featureStore): ProfileServiceClient =>
  apiClients.profiles(address, withKey(30_000));

export const decisioningClient = (address = DEFAULT_ADDRESSES.decisioning): DecisioningServiceClient =>
  apiClients.decisioning(address, withKey(5_000));

export const campaignsClient = (address = DEFAULT_ADDRESSES.decisioning): CampaignServiceClient =>
  apiClients.campaigns(address, withKey(5_000));

export const accessClient = (address = DEFAULT_ADDRESSES.featureStore): AccessServiceClient =>
  apiClients.access(address, withKey(5_000));
