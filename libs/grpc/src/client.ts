import type * as grpc from '@grpc/grpc-js';

import { apiKeyInterceptor, defaultDeadlineInterceptor, traceContextInterceptor } from './interceptors';
import { loadProtos } from './load';
import { channelCredentials, type TlsFiles } from './tls';
import type {
  AccessServiceClient,
  CampaignServiceClient,
  DecisioningServiceClient,
  FeatureStoreServiceClient,
  IntakeServiceClient,
  ProfileServiceClient,
  ScoringServiceClient,
} from './types';

export interface ClientOptions {
  /** Deadline for calls that do not set one. @default 1000 */
  defaultDeadlineMs?: number;
  /** Sent with every call as `authorization: Bearer <key>`. */
  apiKey?: string;
  /** Plaintext unless given. */
  tls?: TlsFiles;
}

type ClientConstructor<C> = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ClientOptions
) => C;

/** Creates a typed client whose every call carries a deadline and the current trace context. */
export function createClient<C extends grpc.Client>(
  Client: ClientConstructor<C>,
  address: string,
  options: ClientOptions = {}
): C {
  return new Client(address, channelCredentials(options.tls), {
    interceptors: [
      defaultDeadlineInterceptor(options.defaultDeadlineMs ?? 1_000),
      traceContextInterceptor,
      ...(options.apiKey === undefined ? [] : [apiKeyInterceptor(options.apiKey)]),
    ],
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
  });
}

/**
 * Turns a callback-style unary call into a promise:
 * `await callUnary<RecommendResponse__Output>((done) => client.Recommend(request, done))`.
 */
export function callUnary<Res>(invoke: (done: grpc.requestCallback<Res>) => void): Promise<Res> {
  return new Promise<Res>((resolve, reject) =>
    invoke((error, response) => (error ? reject(error) : resolve(response as Res)))
  );
}

/** Typed clients for each RTK-DMP API, with a default deadline on every call. */
export const apiClients = {
  intake: (address: string, options?: ClientOptions): IntakeServiceClient =>
    createClient(loadProtos().protos.dmp.intake.v1.IntakeService, address, options),
  featureStore: (address: string, options?: ClientOptions): FeatureStoreServiceClient =>
    createClient(loadProtos().protos.dmp.features.v1.FeatureStoreService, address, options),
  profiles: (address: string, options?: ClientOptions): ProfileServiceClient =>
    createClient(loadProtos().protos.dmp.features.v1.ProfileService, address, options),
  scoring: (address: string, options?: ClientOptions): ScoringServiceClient =>
    createClient(loadProtos().protos.dmp.scoring.v1.ScoringService, address, options),
  decisioning: (address: string, options?: ClientOptions): DecisioningServiceClient =>
    createClient(loadProtos().protos.dmp.decisioning.v1.DecisioningService, address, options),
  campaigns: (address: string, options?: ClientOptions): CampaignServiceClient =>
    createClient(loadProtos().protos.dmp.decisioning.v1.CampaignService, address, options),
  access: (address: string, options?: ClientOptions): AccessServiceClient =>
    createClient(loadProtos().protos.dmp.access.v1.AccessService, address, options),
};
