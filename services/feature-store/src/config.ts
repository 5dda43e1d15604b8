import { intEnv, urlListEnv } from '@dmp/runtime';

export interface FeatureStoreConfig {
  /** NATS server URL(s), comma separated. */
  natsUrl: string;
  redisUrl: string;
  /** Replicas of the SEGMENT_CHANGES stream: 1 on a dev machine, 3 in production. */
  streamReplicas: number;
  /** How often every tenant's segments are evaluated again over all profiles (windows slide); 0: never. */
  segmentRefreshSeconds: number;
  /** Events pulled at a time from one partition; a partition's events are applied one by one, in order. */
  batch: number;
  /**
   * How long a replica's hold on a partition lasts unless renewed (every second): how long a crashed
   * replica's partitions wait before another takes them over.
   */
  partitionLeaseMs: number;
  /**
   * How long JetStream waits for an event's ack before redelivering it. A partition whose replica died is
   * taken over when its lease expires (10 s), from the first event not acked.
   */
  ackWaitSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): FeatureStoreConfig {
  return {
    natsUrl: urlListEnv(env, 'NATS_URL', ['nats', 'tls']),
    redisUrl: urlListEnv(env, 'REDIS_URL', ['redis', 'rediss']),
    streamReplicas: intEnv(env, 'SEGMENT_CHANGES_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
    segmentRefreshSeconds: intEnv(env, 'SEGMENT_REFRESH_SECONDS', 3_600, { min: 0, max: 7 * 86_400 }),
    batch: intEnv(env, 'FEATURE_PARTITION_BATCH', 256, { min: 1, max: 1_000 }),
    partitionLeaseMs: intEnv(env, 'PARTITION_LEASE_SECONDS', 10, { min: 2, max: 300 }) * 1000,
    ackWaitSeconds: intEnv(env, 'FEATURE_ACK_WAIT_SECONDS', 30, { min: 1, max: 600 }),
  };
}
