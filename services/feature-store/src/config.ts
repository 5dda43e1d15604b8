import { intEnv, urlEnv } from '@dmp/runtime';

export interface FeatureStoreConfig {
  natsUrl: string;
  redisUrl: string;
  /** How long an applied event's dedupe mark lives in Redis. */
  dedupeTtlSeconds: number;
  /** Events applied concurrently; their scripts share Redis round trips. */
  maxInFlight: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): FeatureStoreConfig {
  return {
    natsUrl: urlEnv(env, 'NATS_URL', ['nats', 'tls']),
    redisUrl: urlEnv(env, 'REDIS_URL', ['redis', 'rediss']),
    dedupeTtlSeconds: intEnv(env, 'FEATURE_DEDUPE_TTL_SECONDS', 86_400, { min: 60 }),
    maxInFlight: intEnv(env, 'FEATURE_MAX_IN_FLIGHT', 512, { min: 1, max: 10_000 }),
  };
}
