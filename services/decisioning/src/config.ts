import { intEnv, stringEnv, urlListEnv } from '@dmp/runtime';

export interface DecisioningConfig {
  /** NATS server URL(s), comma separated. */
  natsUrl: string;
  redisUrl: string;
  /** Redis of frequency caps and budgets: one that never evicts (an evicted counter is a reset cap). */
  capsRedisUrl: string;
  /** Name of the ranking model in the model registry, run in process. */
  rankingModel: string;
  intraOpThreads: number;
  /** Redis command timeout on the request path. */
  redisTimeoutMs: number;
  /** The most a Recommend may take before it answers from the fallback. */
  recommendDeadlineMs: number;
  /** How long item-level features (popular list, co-occurrences, counts) are reused in process; 0 turns it off. */
  itemCacheTtlMs: number;
  /** Replicas of the streams this service creates (FEATURE_LOG, SCORE_LOG, DELIVERIES): 1 on a dev machine, 3 in production. */
  streamReplicas: number;
  /** Events pulled at a time from one partition of EVENTS; a partition's events are decided one by one, in order. */
  triggerBatch: number;
  /** How long a trigger event may stay unacked before JetStream redelivers it. */
  triggerAckWaitSeconds: number;
  /** How long a crashed replica's partitions of EVENTS wait before another replica takes them over. */
  partitionLeaseMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): DecisioningConfig {
  return {
    natsUrl: urlListEnv(env, 'NATS_URL', ['nats', 'tls']),
    redisUrl: urlListEnv(env, 'REDIS_URL', ['redis', 'rediss']),
    capsRedisUrl: env['CAPS_REDIS_URL']
      ? urlListEnv(env, 'CAPS_REDIS_URL', ['redis', 'rediss'])
      : urlListEnv(env, 'REDIS_URL', ['redis', 'rediss']),
    rankingModel: stringEnv(env, 'RANKING_MODEL', 'demo-ranker'),
    intraOpThreads: intEnv(env, 'ORT_INTRA_OP_THREADS', 1, { min: 1, max: 64 }),
    redisTimeoutMs: intEnv(env, 'REDIS_TIMEOUT_MS', 200, { min: 10, max: 10_000 }),
    recommendDeadlineMs: intEnv(env, 'RECOMMEND_DEADLINE_MS', 250, { min: 10, max: 60_000 }),
    itemCacheTtlMs: intEnv(env, 'ITEM_CACHE_TTL_MS', 2_000, { min: 0, max: 600_000 }),
    streamReplicas: intEnv(env, 'FEATURE_LOG_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
    triggerBatch: intEnv(env, 'TRIGGER_PARTITION_BATCH', 256, { min: 1, max: 1_000 }),
    triggerAckWaitSeconds: intEnv(env, 'TRIGGER_ACK_WAIT_S', 30, { min: 1, max: 3_600 }),
    partitionLeaseMs: intEnv(env, 'PARTITION_LEASE_SECONDS', 10, { min: 2, max: 300 }) * 1000,
  };
}
