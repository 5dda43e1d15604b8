import { intEnv, urlListEnv } from '@dmp/runtime';

export interface FeatureStoreConfig {
  /** NATS server URL(s), comma separated. */
  natsUrl: string;
  redisUrl: string;
  /**
   * Where decisioning keeps caps and contact-policy counters (its CAPS_REDIS_URL), for erasure to delete a
   * subscriber's; the feature store's Redis when unset.
   */
  capsRedisUrl: string;
  /**
   * How long an applied event's dedupe mark lives in Redis: the horizon of exactly-once application. It
   * must outlast every redelivery (ack wait 30 s × 20 deliveries = 10 min) and the intake's retries.
   */
  dedupeTtlSeconds: number;
  /** Replicas of the SEGMENT_CHANGES stream: 1 on a dev machine, 3 in production. */
  streamReplicas: number;
  /** How often every tenant's segments are evaluated again over all profiles (windows slide); 0: never. */
  segmentRefreshSeconds: number;
  /** Events applied concurrently; their scripts share Redis round trips. */
  maxInFlight: number;
  /**
   * How long JetStream waits for an event's ack before redelivering it: the delay before a crashed
   * replica's in-flight events are applied by another. Applying takes milliseconds.
   */
  ackWaitSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): FeatureStoreConfig {
  return {
    natsUrl: urlListEnv(env, 'NATS_URL', ['nats', 'tls']),
    redisUrl: urlListEnv(env, 'REDIS_URL', ['redis', 'rediss']),
    capsRedisUrl: env['CAPS_REDIS_URL']
      ? urlListEnv(env, 'CAPS_REDIS_URL', ['redis', 'rediss'])
      : urlListEnv(env, 'REDIS_URL', ['redis', 'rediss']),
    dedupeTtlSeconds: intEnv(env, 'FEATURE_DEDUPE_TTL_SECONDS', 86_400, { min: 3_600 }),
    streamReplicas: intEnv(env, 'SEGMENT_CHANGES_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
    segmentRefreshSeconds: intEnv(env, 'SEGMENT_REFRESH_SECONDS', 3_600, { min: 0, max: 7 * 86_400 }),
    maxInFlight: intEnv(env, 'FEATURE_MAX_IN_FLIGHT', 512, { min: 1, max: 10_000 }),
    ackWaitSeconds: intEnv(env, 'FEATURE_ACK_WAIT_SECONDS', 30, { min: 1, max: 600 }),
  };
}
