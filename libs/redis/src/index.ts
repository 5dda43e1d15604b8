import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis } from 'ioredis';

import type { Logger, Readiness } from '@dmp/runtime';

export { Redis } from 'ioredis';

export interface RedisConnectOptions {
  url: string;
  /** CLIENT SETNAME, shown by CLIENT LIST. */
  name: string;
  log: Logger;
  readiness: Readiness;
  /** A command without a reply after this long fails. @default 1000 */
  commandTimeoutMs?: number;
  /** The readiness condition this connection holds up (a second connection needs its own). @default "redis" */
  readinessName?: string;
}

/**
 * Connects to Redis with options safe for request paths and idempotent writers:
 * - no offline queue: while disconnected, commands fail at once instead of piling up and running later,
 *   after their caller gave up (ioredis #2130);
 * - no resend of in-flight commands after a reconnect, and one retry at most: writes are idempotent
 *   scripts, and the caller (a JetStream redelivery, a client retry) decides whether to try again;
 * - auto-pipelining: commands issued in the same tick share one round trip;
 * - reconnect forever with capped backoff, and reconnect on READONLY after a failover (ioredis #144).
 * Readiness follows the connection.
 */
export function connectRedis(options: RedisConnectOptions): Redis {
  const { log, readiness } = options;
  const condition = options.readinessName ?? 'redis';
  readiness.require(condition);
  const common = {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
  };
  const perConnection = {
    connectionName: options.name,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 2_000),
    reconnectOnError: (error: Error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
  const seeds = options.url.split(',').map((url) => url.trim());
  // Several URLs: the seed nodes of a Redis Cluster. ioredis' Cluster client answers the same commands for
  // keys that share a slot (every multi-key command and script here keeps its keys under one hash tag); the
  // two that are not per-key (SCAN) go through scanKeys below.
  const redis =
    seeds.length > 1
      ? (new Cluster(
          seeds.map((url) => {
            const { hostname, port, username, password } = new URL(url);
            return {
              host: hostname,
              port: Number(port || 6379),
              ...(username && { username }),
              ...(password && { password }),
            };
          }),
          {
            ...common,
            redisOptions: perConnection,
            clusterRetryStrategy: (attempt: number) => Math.min(100 * attempt, 2_000),
          }
        ) as unknown as Redis)
      : new Redis(options.url, { ...common, ...perConnection });
  let lastError = '';
  redis.on('ready', () => {
    lastError = '';
    readiness.set(condition, true);
    log.info('connected to Redis', { connection: options.name });
  });
  redis.on('close', () => readiness.set(condition, false));
  redis.on('error', (error: Error) => {
    // ioredis reports every failed reconnect attempt; log a cause once, not every 2 s.
    if (error.message !== lastError) log.warn('Redis connection error', { error: error.message });
    lastError = error.message;
  });
  return redis;
}

/** QUIT after pending replies arrive; DISCONNECT if Redis is not reachable anyway. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}

export { redisAclFile, redisAclRules, REDIS_SERVICE_USERS, type RedisServiceUser } from './acl';

/**
 * Defines a Lua script as a command (`redis[name](numKeys, ...keys, ...args)`: EVALSHA, falling back to EVAL once
 * if the server lost the script). On a Redis Cluster the command is left out of auto-pipelining: ioredis files an
 * auto-pipelined command under the slot of its first argument, which for a script is the number of keys, so scripts
 * for different nodes would share a pipeline and fail. Sent on their own, each goes to its first key's node.
 */
export function defineScript(redis: Redis, name: string, lua: string): void {
  redis.defineCommand(name, { lua });
  if (redis instanceof Cluster) {
    // A new array: ioredis' default one is shared by every Cluster client.
    const options = (redis as Cluster).options;
    options.autoPipeliningIgnoredCommands = [...(options.autoPipeliningIgnoredCommands ?? []), name];
  }
}

/**
 * Which primary serves `key`'s slot, as ioredis knows it now: keys of one primary can be one command (a script
 * flagged allow-cross-slot-keys). One Redis serves every key: ''. A map gone stale (a resharding) makes such a
 * command fail before it writes; its caller retries.
 */
export function primaryOf(redis: Redis, key: string): string {
  if (!(redis instanceof Cluster)) return '';
  const slot = calculateSlot(key);
  // Slots not known yet (not connected): the key's slot stands alone.
  return (redis as Cluster).slots[slot]?.[0] ?? `slot ${slot}`;
}

/** Keys matching `match`, page by page: on a Redis Cluster, from every primary. */
export async function* scanKeys(redis: Redis, match: string, count = 1_000): AsyncGenerator<string[]> {
  const nodes = redis instanceof Cluster ? (redis as Cluster).nodes('master') : [redis];
  for (const node of nodes) {
    for await (const keys of node.scanStream({ match, count })) yield keys as string[];
  }
}
