/**
 * Closed-loop load generators for the `features` suite, each run as its own process (so its CPU is not
 * charged to the server) with `concurrency` calls in flight, for a warm-up and then a measured period.
 * All kinds read the same entities (the same sequence of id lists) and the same features:
 *
 * - `grpc`: our path: GetFeatures to the feature-store process. The request is serialized once per id
 *   list and the response is taken as bytes (not decoded), so the generator spends as little as the
 *   limit's does per call.
 * - `redis`: the limit: the minimal Redis commands for the same values (one HMGET of the entity hash with
 *   every hash-held field, one PFCOUNT over the window's HyperLogLog buckets per distinct count, one
 *   ZREVRANGE per list kept in a zset), as one ioredis pipeline per call, replies not decoded.
 * - `reader`: FeatureReader in process, no gRPC: what the reader itself costs over the limit.
 */

import * as grpc from '@grpc/grpc-js';

import { apiKeyInterceptor } from '@dmp/grpc';
import { Redis } from 'ioredis';

import {
  buildPrefix,
  FeatureCatalog,
  featureKeys,
  FeatureReader,
  HLL_BUCKETS,
  LIST_LIMIT,
  WINDOWS,
  type EntityKind,
  type FeatureDefinition,
} from '@dmp/features';
import { loadProtos } from '@dmp/grpc';

import { runGenerator, serveGenerator, type Phase } from '../generator-process';
import {
  BENCH_FEATURES,
  BENCH_TENANT_FEATURES,
  BUILD,
  TENANT,
  userId,
  WorkloadEvents,
  type Workload,
} from './feature-workload';
import { BENCH_API_KEY } from '../bench-key';

export interface FeaturesLoadSpec {
  kind: 'grpc' | 'redis' | 'reader';
  entity: 'user' | 'item';
  features: string[];
  /** Entities per call. */
  entities: number;
  workload: Workload;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  /** grpc: the feature store's address; redis and reader: Redis. */
  target?: string;
  redisUrl?: string;
}

export interface FeaturesLoadResult {
  kind: FeaturesLoadSpec['kind'];
  seconds: number;
  calls: number;
  errors: number;
  firstError?: string;
  callsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Mean reply size, bytes: the protobuf response (grpc), RESP replies (redis), 0 (reader). */
  replyBytes: number;
  /** Redis commands per call (redis). */
  commandsPerCall?: number;
  /** CPU the generator itself used during the measured period, ms per call. */
  generatorCpuMsPerCall: number;
}

const GET_FEATURES_PATH = '/dmp.features.v1.FeatureStoreService/GetFeatures';
const ENTITY_TYPES = { user: 'ENTITY_TYPE_USER', item: 'ENTITY_TYPE_ITEM' } as const;
/** Distinct id lists the generators cycle through. */
const ID_LISTS = 512;

/**
 * The features asked for: every feature of the entity kind the bench tenant has (20 users', 20 items':
 * the defaults, lists among them, and the tenant's own numeric ones), in definition order.
 */
export function featuresOf(entity: EntityKind): string[] {
  return BENCH_FEATURES.features.filter((f) => f.entity === entity).map((f) => f.name);
}

/**
 * Id lists for GetFeatures: `entities` distinct ids each, drawn as callers would ask for them (users
 * by activity, items by popularity: the ones that have features), the same lists for every generator.
 */
export function idLists(w: Workload, entity: 'user' | 'item', entities: number): string[][] {
  const draw = new WorkloadEvents(w, Date.now(), w.seed + 1000);
  return Array.from({ length: ID_LISTS }, () => {
    const ids = new Set<string>();
    while (ids.size < entities) {
      if (entity === 'user') ids.add(userId(draw.user()));
      else ids.add(draw.next().itemIds[0]!);
    }
    return [...ids];
  });
}

type Call = () => Promise<number>;

function grpcCall(spec: FeaturesLoadSpec, lists: string[][]): Call {
  const method = loadProtos().packageDefinition['dmp.features.v1.FeatureStoreService'] as unknown as {
    GetFeatures: { requestSerialize: (r: unknown) => Buffer };
  };
  const requests = lists.map((entityIds) =>
    method.GetFeatures.requestSerialize({
      tenantId: TENANT,
      entityType: ENTITY_TYPES[spec.entity],
      entityIds,
      featureNames: spec.features,
    })
  );
  const client = new grpc.Client(spec.target!, grpc.credentials.createInsecure(), {
    interceptors: [apiKeyInterceptor(BENCH_API_KEY)],
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.keepalive_time_ms': 30_000,
  });
  let next = 0;
  return () =>
    new Promise((resolve, reject) =>
      client.makeUnaryRequest<Buffer, Buffer>(
        GET_FEATURES_PATH,
        (b) => b,
        (b) => b,
        requests[next++ % requests.length]!,
        { deadline: Date.now() + 10_000 },
        (error, response) => (error ? reject(error) : resolve(response!.length))
      )
    );
}

/** The minimal Redis reads of the asked features for one entity, as [command, ...args] (keys computed per call). */
export function minimalReads(
  definitions: readonly FeatureDefinition[],
  entity: EntityKind,
  prefix: string
): {
  perEntity: (id: string, nowMs: number) => (string | number)[][];
} {
  // What the values are computed from: the asked features and the parts of asked ratios.
  const byName = new Map(BENCH_FEATURES.features.map((f) => [f.name, f]));
  const needed = new Map<string, FeatureDefinition>();
  for (const d of definitions) {
    needed.set(d.name, d);
    if (d.aggregation.kind === 'ratio') {
      for (const part of [d.aggregation.numerator, d.aggregation.denominator]) needed.set(part, byName.get(part)!);
    }
  }
  const fields: string[] = [];
  const others: FeatureDefinition[] = [];
  for (const d of needed.values()) {
    const kind = d.aggregation.kind;
    if (kind === 'trending') fields.push(`${d.name}#s`, `${d.name}#l`);
    else if (['count', 'sum', 'last_seen', 'last_n', 'decayed_count'].includes(kind)) fields.push(d.name);
    else if (kind !== 'ratio') others.push(d);
  }
  return {
    perEntity: (id, nowMs) => {
      const commands: (string | number)[][] = [];
      if (fields.length > 0) commands.push(['hmget', featureKeys.entity(prefix, entity, id), ...fields]);
      for (const d of others) {
        const a = d.aggregation;
        if (a.kind === 'distinct_count') {
          const bucketSeconds =
            a.window === 'all' ? 0 : (WINDOWS[a.window].bucketSeconds * WINDOWS[a.window].buckets) / HLL_BUCKETS;
          const keys =
            a.window === 'all'
              ? [featureKeys.hll(prefix, d.name, entity, id, 0)]
              : Array.from({ length: HLL_BUCKETS }, (_, k) =>
                  featureKeys.hll(prefix, d.name, entity, id, Math.floor(nowMs / 1000 / bucketSeconds) - k)
                );
          commands.push(['pfcount', ...keys]);
        } else if (a.kind === 'cooccurrence') {
          commands.push(['zrevrange', featureKeys.cooccurrence(prefix, d.name, id), 0, LIST_LIMIT - 1, 'WITHSCORES']);
        } else if (a.kind === 'top_items') {
          const key = featureKeys.topItems(prefix, d.name, entity, id);
          commands.push(['zrevrange', key, 0, LIST_LIMIT - 1, 'WITHSCORES']);
          if (a.halfLifeSeconds) commands.push(['hget', featureKeys.landmarks(key), key]);
        }
      }
      return commands;
    },
  };
}

function redisCall(spec: FeaturesLoadSpec, lists: string[][], redis: Redis, counter: { commands: number }): Call {
  const byName = new Map(BENCH_FEATURES.features.map((f) => [f.name, f]));
  const reads = minimalReads(
    spec.features.map((name) => byName.get(name)!),
    spec.entity,
    buildPrefix(TENANT, BUILD)
  );
  let next = 0;
  return async () => {
    const nowMs = Date.now();
    const pipeline = redis.pipeline();
    let commands = 0;
    for (const id of lists[next++ % lists.length]!) {
      for (const [command, ...args] of reads.perEntity(id, nowMs)) {
        // Buffer replies: RESP parsed, nothing decoded to strings.
        pipeline.callBuffer(String(command), ...args);
        commands++;
      }
    }
    counter.commands = commands;
    const replies = (await pipeline.exec()) ?? [];
    let bytes = 0;
    for (const [error, reply] of replies) {
      if (error) throw error;
      bytes += replyBytes(reply);
    }
    return bytes;
  };
}

/** Payload bytes of a Buffer reply (nested arrays summed), to compare reply sizes. */
function replyBytes(reply: unknown): number {
  if (Buffer.isBuffer(reply)) return reply.length;
  if (Array.isArray(reply)) return reply.reduce((sum: number, r) => sum + replyBytes(r), 0);
  return 8;
}

function readerCall(spec: FeaturesLoadSpec, lists: string[][], redis: Redis): Call {
  const reader = new FeatureReader(redis, FeatureCatalog.fixed({ [TENANT]: BENCH_TENANT_FEATURES }));
  let next = 0;
  return async () => {
    await reader.read(TENANT, spec.entity, lists[next++ % lists.length]!, spec.features);
    return 0;
  };
}

/** The connection options the feature store uses (see @dmp/redis connectRedis). */
function connectRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 10_000,
    enableAutoPipelining: true,
  });
}

async function generate(spec: FeaturesLoadSpec): Promise<FeaturesLoadResult> {
  const lists = idLists(spec.workload, spec.entity, spec.entities);
  const redis = spec.kind === 'grpc' ? undefined : connectRedis(spec.redisUrl!);
  const counter = { commands: 0 };
  const call =
    spec.kind === 'grpc'
      ? grpcCall(spec, lists)
      : spec.kind === 'redis'
        ? redisCall(spec, lists, redis!, counter)
        : readerCall(spec, lists, redis!);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let bytes = 0;
  let measuring = false;
  let measuredFrom = 0;
  let measuredSeconds = spec.seconds;
  let cpuAtStart = process.cpuUsage();
  let cpuMs = 0;
  const start = Date.now();
  const end = start + (spec.warmupSeconds + spec.seconds) * 1000;
  const startTimer = setTimeout(() => {
    measuring = true;
    measuredFrom = performance.now();
    cpuAtStart = process.cpuUsage();
    process.send?.('measuring');
  }, spec.warmupSeconds * 1000);
  let sent: Promise<void> = Promise.resolve();
  const stop = (): void => {
    if (!measuring) return;
    measuring = false;
    measuredSeconds = (performance.now() - measuredFrom) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    cpuMs = (cpu.user + cpu.system) / 1000;
    sent = new Promise((resolve) => (process.send ? process.send('done', () => resolve()) : resolve()));
  };
  const endTimer = setTimeout(stop, end - start);
  const loop = async (): Promise<void> => {
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        const size = await call();
        if (measuring) {
          latencies.push(performance.now() - t0);
          bytes += size;
        }
      } catch (error) {
        if (measuring) errors++;
        firstError ??= (error as Error).message;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  stop();
  await sent;
  redis?.disconnect();
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    kind: spec.kind,
    seconds: measuredSeconds,
    calls: latencies.length,
    errors,
    ...(firstError !== undefined && { firstError }),
    callsPerSecond: latencies.length / measuredSeconds,
    p50Ms: q(0.5),
    p90Ms: q(0.9),
    p99Ms: q(0.99),
    maxMs: latencies[latencies.length - 1] ?? 0,
    replyBytes: latencies.length ? bytes / latencies.length : 0,
    ...(spec.kind === 'redis' && { commandsPerCall: counter.commands }),
    generatorCpuMsPerCall: latencies.length ? cpuMs / latencies.length : 0,
  };
}

/** Runs the generator in a child process (see runGenerator). */
export function runFeaturesLoad(spec: FeaturesLoadSpec, onPhase: (phase: Phase) => void): Promise<FeaturesLoadResult> {
  return runGenerator<FeaturesLoadResult>('features load generator', __filename, [JSON.stringify(spec)], onPhase);
}

if (require.main === module) serveGenerator(() => generate(JSON.parse(process.argv[2] ?? '{}') as FeaturesLoadSpec));
