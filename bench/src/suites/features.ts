import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

import { buildPrefix, featureKeys, featureSetDocument } from '@dmp/features';
import { apiClients, callUnary, type GetFeaturesResponse__Output, type IngestResponse__Output } from '@dmp/grpc';
import {
  binaryVersion,
  findBinary,
  freePort,
  startNatsServer,
  startRedisServer,
  startServiceProcess,
  waitServing,
  type ServiceProcess,
} from '@dmp/local-servers';
import { createTenant, ensureStream, eventsStream, featureStoreBacklog, JetStreamPublisher } from '@dmp/messaging';

import { cpuSeconds } from '../proc';
import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';
import {
  FRESH_CONSUMER,
  FRESH_STREAM,
  FRESH_SUBJECT,
  freshPool,
  histogramDelta,
  probes,
  readHistogram,
  runPaced,
  startRawConsumer,
  type PacedSpec,
  type ProbeResult,
} from './feature-freshness';
import {
  BENCH_TENANT_FEATURES,
  BUILD,
  parallelCapacity,
  seed,
  TENANT,
  toClientEvent,
  workloadFromEnv,
  WorkloadEvents,
  type Workload,
} from './feature-workload';
import { featuresOf, idLists, runFeaturesLoad, type FeaturesLoadResult, type FeaturesLoadSpec } from './features-load';
import { BENCH_API_KEY, storeBenchKey } from '../bench-key';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WARMUP_SECONDS = 2;
const DEFAULT_ROUNDS = 3;
const PROBES_PER_SECOND = 20;
/** Ingest batch of the paced load: 50 events every 10 ms at 5,000 events/s. */
const PACED_BATCH = 50;

type Kind = 'user' | 'item';

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const log = (text: string): void => void process.stderr.write(`features: ${text}\n`);
const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** Reads the processes' CPU seconds over exactly the generator's measured period. */
async function withCpu<T>(
  servers: Record<string, number>,
  run: (onPhase: (phase: 'measuring' | 'done') => void) => Promise<T>
): Promise<{ result: T; cpuSeconds: Record<string, number> }> {
  const read = (): Record<string, number> =>
    Object.fromEntries(Object.entries(servers).map(([name, pid]) => [name, cpuSeconds(pid)]));
  let atStart: Record<string, number> = {};
  let used: Record<string, number> = {};
  const result = await run((phase) => {
    if (phase === 'measuring') atStart = read();
    else used = Object.fromEntries(Object.entries(read()).map(([name, s]) => [name, s - (atStart[name] ?? 0)]));
  });
  return { result, cpuSeconds: used };
}

type Measured = FeaturesLoadResult & { cpuMsPerCallByProcess: Record<string, number> };

async function measure(spec: FeaturesLoadSpec, servers: Record<string, number>): Promise<Measured> {
  const { result, cpuSeconds: used } = await withCpu(servers, (onPhase) => runFeaturesLoad(spec, onPhase));
  if (result.errors > 0) log(`${spec.kind} ${spec.entity}: ${result.errors} errors, first: ${result.firstError}`);
  const perCall = (s: number): number => (result.calls ? (s * 1000) / result.calls : 0);
  return {
    ...result,
    cpuMsPerCallByProcess: {
      ...Object.fromEntries(Object.entries(used).map(([name, s]) => [name, round(perCall(s))])),
      generator: round(result.generatorCpuMsPerCall),
    },
  };
}

/** The run with the median calls per second. */
function median(runs: Measured[]): Measured {
  return [...runs].sort((a, b) => a.callsPerSecond - b.callsPerSecond)[Math.floor(runs.length / 2)]!;
}

function medianOf(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

/** Gives the bench tenant its own features (seeding wrote them already) through PutFeatureSet. */
async function putBenchFeatures(address: string): Promise<void> {
  const client = apiClients.featureStore(address, { defaultDeadlineMs: 10_000, apiKey: BENCH_API_KEY });
  try {
    await callUnary((done) =>
      client.PutFeatureSet(
        { tenantId: TENANT, featureSetJson: JSON.stringify(featureSetDocument(BENCH_TENANT_FEATURES)) },
        done
      )
    );
  } finally {
    client.close();
  }
}

/** Share of PRESENT, STALE and MISSING values per feature over a few calls, from the typed client. */
async function presence(address: string, kind: Kind, features: string[], lists: string[][]): Promise<unknown> {
  const client = apiClients.featureStore(address, { defaultDeadlineMs: 10_000, apiKey: BENCH_API_KEY });
  const counts = features.map(() => ({ present: 0, stale: 0, missing: 0 }));
  let bytes = 0;
  try {
    for (const entityIds of lists.slice(0, 10)) {
      const response = await callUnary<GetFeaturesResponse__Output>((done) =>
        client.GetFeatures(
          {
            tenantId: TENANT,
            entityType: kind === 'user' ? 'ENTITY_TYPE_USER' : 'ENTITY_TYPE_ITEM',
            entityIds,
            featureNames: features,
          },
          done
        )
      );
      for (const entity of response.entities) {
        entity.values.forEach((value, i) => {
          const c = counts[i]!;
          if (value.status === 'FEATURE_STATUS_PRESENT') c.present++;
          else if (value.status === 'FEATURE_STATUS_STALE') c.stale++;
          else c.missing++;
        });
      }
      bytes += JSON.stringify(response).length;
    }
  } finally {
    client.close();
  }
  const total = Math.min(10, lists.length) * (lists[0]?.length ?? 0);
  return {
    presentShareByFeature: Object.fromEntries(
      features.map((name, i) => [name, round((counts[i]!.present + counts[i]!.stale) / total, 2)])
    ),
    presentShare: round(counts.reduce((a, c) => a + c.present + c.stale, 0) / (total * features.length), 3),
    meanJsonBytesPerResponse: Math.round(bytes / Math.min(10, lists.length)),
  };
}

/** Self time by area and the top functions of a V8 .cpuprofile, idle excluded. */
function summarizeProfile(file: string): Record<string, unknown> {
  interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  const areaOf = (url: string, name: string): string => {
    if (name === '(garbage collector)') return 'GC';
    if (name === '(program)') return 'V8/native (program)';
    const module = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(@[^/]+\/[^/]+|[^/]+)/.exec(url)?.[1];
    if (module) {
      if (module === '@grpc/grpc-js') return 'grpc-js (HTTP/2 transport, calls)';
      if (module === 'protobufjs' || module === '@grpc/proto-loader')
        return 'protobufjs (request decode, response encode)';
      if (module === 'ioredis' || module === 'redis-parser' || module === 'denque') return 'ioredis (commands, RESP)';
      if (module.startsWith('@opentelemetry/')) return 'OpenTelemetry (spans)';
      if (module === 'prom-client') return 'prom-client (metrics)';
      return `other: ${module}`;
    }
    if (url.includes('/libs/features/')) return '@dmp/features (FeatureReader: decode, windows, freshness)';
    if (url.includes('/libs/grpc/')) return '@dmp/grpc (unary wrapper, interceptors)';
    if (url.includes('/libs/')) return `@dmp/${url.replace(/.*\/libs\/([^/]+).*/, '$1')}`;
    if (url.includes('/services/feature-store/')) return 'feature-store handlers (validation, toProto)';
    if (url.startsWith('node:')) return 'node internals (net, http2, streams, timers)';
    return 'native / builtins';
  };
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    total += us;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = frame.url ? `${frame.url.split('/').slice(-1)[0]}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const share = (m: Map<string, number>, top: number): Record<string, number> =>
    Object.fromEntries(
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([k, us]) => [k, round((100 * us) / total, 1)])
    );
  return {
    busyCpuMs: Math.round(total / 1000),
    percentByArea: share(areas, 20),
    percentTopFunctions: share(functions, 25),
  };
}

/**
 * The feature store started as startServiceProcess does, plus `--cpu-prof` (Node refuses it in
 * NODE_OPTIONS); `stop()` ends it gracefully, which writes the profile, and summarizes it.
 */
async function profiledStore(
  env: Record<string, string>
): Promise<{ address: string; pid: number; stop: () => Promise<Record<string, unknown>> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-bench-prof-'));
  const [grpcPort, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--require', '@dmp/telemetry/register', 'dist/main.js'],
    {
      cwd: join(REPO_ROOT, 'services', 'feature-store'),
      env: {
        ...process.env,
        ...env,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(metricsPort),
        OTEL_SERVICE_NAME: 'feature-store',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    }
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Like the servers and services, it must not outlive the bench even when the bench exits abruptly.
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  void exited.then(() => process.off('exit', kill));
  const address = `127.0.0.1:${grpcPort}`;
  try {
    await waitServing(address, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    address,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      const summary = file ? summarizeProfile(join(dir, file)) : { error: 'no profile written' };
      rmSync(dir, { recursive: true, force: true });
      return summary;
    },
  };
}

interface ReadPhases {
  limit: Measured[];
  ours: Measured[];
  reader?: Measured;
}

/**
 * `features`: the real-time feature store.
 *
 * 1. GetFeatures (100 entities x the 20 features of the kind the bench tenant has) through the feature-store process,
 *    against its physical limit: the minimal Redis commands for the same values from one Node process
 *    (one pipeline per call), same concurrency, over a realistically seeded Redis (20k users, 5k items,
 *    200k events over 30 days, written with the real FeatureWriter). Headline (RESULT): users.
 * 2. Freshness at a sustained, paced 5,000 events/s through event-intake: accepted → visible in Redis,
 *    by probes, against raw JetStream publish → pull consumer → Redis write at the same rate; and ours
 *    again at lower rates (2,000 and 1,000 events/s by default).
 *
 * Knobs: BENCH_SECONDS (measured seconds per phase, default 5), BENCH_CONCURRENCY (default 32),
 * BENCH_ROUNDS (3), BENCH_ENTITIES (100 per call), BENCH_FEATURE_KINDS (user,item),
 * BENCH_EVENT_RATES (5000,2000,1000), BENCH_PARTS (read,freshness), BENCH_PROFILE=1 (profile the feature
 * store, in extra phases), BENCH_STORE_NODE_OPTIONS, BENCH_USERS / BENCH_ITEMS / BENCH_EVENTS.
 */
export async function featuresSuite(options: SuiteOptions): Promise<SuiteResult> {
  const seconds = options.seconds ?? 5;
  const concurrency = options.concurrency ?? 32;
  const rounds = positiveInt('BENCH_ROUNDS', DEFAULT_ROUNDS);
  const entities = positiveInt('BENCH_ENTITIES', 100);
  // Freshness rates: the first (5,000 events/s) is the headline and runs the limit too.
  const rates = (process.env['BENCH_EVENT_RATES'] ?? '5000,2000,1000').split(',').map(Number);
  if (!rates.every((r) => Number.isInteger(r) && r >= PACED_BATCH))
    throw new Error(`BENCH_EVENT_RATES must be integers of at least ${PACED_BATCH}`);
  const parts = new Set((process.env['BENCH_PARTS'] ?? 'read,freshness').split(','));
  const kinds = (process.env['BENCH_FEATURE_KINDS'] ?? 'user,item').split(',') as Kind[];
  const profile = process.env['BENCH_PROFILE'] === '1';
  const workload = workloadFromEnv();
  const [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
  const hmacKeys = `bench:${randomBytes(32).toString('base64')}`;
  // BENCH_STORE_NODE_OPTIONS: Node/V8 flags for the feature store (e.g. --max-semi-space-size=64), to try them.
  const storeNodeOptions = process.env['BENCH_STORE_NODE_OPTIONS'] ?? '';
  const storeEnv: Record<string, string> = {
    NATS_URL: nats.url,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    HTTP_PORT: '0',
    ...(storeNodeOptions && { NODE_OPTIONS: storeNodeOptions }),
  };
  const services: ServiceProcess[] = [];
  const startStore = async (env: Record<string, string> = {}): Promise<ServiceProcess> => {
    const service = await startServiceProcess({
      name: 'feature-store',
      repoRoot: REPO_ROOT,
      env: { ...storeEnv, ...env },
    });
    services.push(service);
    return service;
  };
  const seeders = [new Redis(redis.url), new Redis(redis.url)];
  const nc = await connect({ servers: nats.url });
  try {
    const capacityAtStart = await parallelCapacity();
    await createTenant(nc, TENANT, { eventsPerSecond: 10_000_000 });
    await storeBenchKey(nc);
    await ensureStream(nc, eventsStream(1));
    const jsm = await jetstreamManager(nc);

    log(`seeding ${workload.events} events (${workload.users} users, ${workload.items} items) into Redis`);
    const seeded = await seed(seeders, workload);
    const keys = await seeders[0]!.dbsize();
    const usedMemory = Number(/used_memory:(\d+)/.exec(await seeders[0]!.info('memory'))?.[1] ?? 0);
    await Promise.all(seeders.map((r) => r.quit()));
    log(`seeded in ${seeded.seconds.toFixed(1)} s (${Math.round(seeded.eventsPerSecond)} events/s), ${keys} keys`);

    const store = await startStore();
    const details: Record<string, unknown> = {
      parallelCpuCapacityAtStart: capacityAtStart,
      ...(storeNodeOptions && { featureStoreNodeOptions: storeNodeOptions }),
      seconds,
      concurrency,
      rounds,
      entitiesPerCall: entities,
      natsServer: binaryVersion(findBinary('nats-server', 'NATS_SERVER_BIN')),
      redisServer: binaryVersion(findBinary('redis-server', 'REDIS_SERVER_BIN')),
      workload,
      seeding: { ...seeded, eventsPerSecond: Math.round(seeded.eventsPerSecond), keys, usedMemory },
    };

    // Freshness first, while the tenant has the default features: the feature set events are applied with.
    if (parts.has('freshness')) {
      details['freshness'] = await freshness({ nats, redis, jsm, nc, workload, seconds, rates, hmacKeys, store });
    }

    const spec = (kind: Kind, load: FeaturesLoadSpec['kind'], target = store.address): FeaturesLoadSpec => ({
      kind: load,
      entity: kind,
      features: featuresOf(kind),
      entities,
      workload,
      concurrency,
      warmupSeconds: WARMUP_SECONDS,
      seconds,
      target,
      redisUrl: redis.url,
    });
    let headline: { ours: number; limit: number } = { ours: 0, limit: 0 };
    if (parts.has('read')) {
      await putBenchFeatures(store.address);
      const read: Partial<Record<Kind, ReadPhases>> = {};
      for (const kind of kinds) {
        details[`${kind}Presence`] = await presence(
          store.address,
          kind,
          featuresOf(kind),
          idLists(workload, kind, entities)
        );
        read[kind] = { limit: [], ours: [] };
      }
      const redisOnly = (): Record<string, number> => ({ 'redis-server': redis.pid! });
      const withStore = (): Record<string, number> => ({ 'feature-store': store.pid!, 'redis-server': redis.pid! });
      // Interleaved rounds, the limit first in each; every figure is the median over the rounds.
      for (let r = 0; r < rounds; r++) {
        for (const kind of kinds) {
          const phases = read[kind]!;
          log(`round ${r + 1}/${rounds}, ${kind}: limit`);
          phases.limit.push(await measure(spec(kind, 'redis'), redisOnly()));
          log(`round ${r + 1}/${rounds}, ${kind}: ours`);
          phases.ours.push(await measure(spec(kind, 'grpc'), withStore()));
          if (r === 0) {
            log(`${kind}: FeatureReader in process`);
            phases.reader = await measure(spec(kind, 'reader'), redisOnly());
          }
        }
      }
      for (const kind of kinds) {
        const phases = read[kind]!;
        const ours = median(phases.ours);
        const limit = median(phases.limit);
        details[kind] = {
          features: featuresOf(kind),
          featureCount: featuresOf(kind).length,
          oursCallsPerSecond: round(ours.callsPerSecond, 1),
          limitCallsPerSecond: round(limit.callsPerSecond, 1),
          throughputRatio: round(ours.callsPerSecond / limit.callsPerSecond),
          medianOfRoundRatios: round(
            medianOf(phases.ours.map((o, i) => o.callsPerSecond / (phases.limit[i]?.callsPerSecond ?? Infinity)))
          ),
          // Latencies: medians over the rounds of each round's percentile.
          oursP50Ms: round(medianOf(phases.ours.map((m) => m.p50Ms)), 2),
          oursP99Ms: round(medianOf(phases.ours.map((m) => m.p99Ms)), 2),
          limitP50Ms: round(medianOf(phases.limit.map((m) => m.p50Ms)), 2),
          limitP99Ms: round(medianOf(phases.limit.map((m) => m.p99Ms)), 2),
          p99Ratio: round(medianOf(phases.ours.map((m) => m.p99Ms)) / medianOf(phases.limit.map((m) => m.p99Ms))),
          goals: { throughputRatioAtLeast: 0.75, p99RatioAtMost: 1.3 },
          readerInProcess: phases.reader && {
            callsPerSecond: round(phases.reader.callsPerSecond, 1),
            p50Ms: round(phases.reader.p50Ms, 2),
            p99Ms: round(phases.reader.p99Ms, 2),
            cpuMsPerCallByProcess: phases.reader.cpuMsPerCallByProcess,
          },
          callsPerSecondByRound: {
            ours: phases.ours.map((m) => Math.round(m.callsPerSecond)),
            limit: phases.limit.map((m) => Math.round(m.callsPerSecond)),
          },
          ours,
          limit,
        };
      }
      const first = read[kinds[0]!]!;
      headline = { ours: median(first.ours).callsPerSecond, limit: median(first.limit).callsPerSecond };
    }

    if (profile && parts.has('read')) {
      // A separate feature-store run under the V8 profiler (it slows the process; no figure above comes from it).
      await store.stop();
      const profiles: Record<string, unknown> = {};
      for (const kind of kinds) {
        const profiled = await profiledStore(storeEnv);
        log(`${kind}: ours with the feature store under --cpu-prof`);
        let run: Measured | undefined;
        try {
          run = await measure(
            { ...spec(kind, 'grpc', profiled.address), seconds: Math.min(seconds, 5) },
            { 'feature-store': profiled.pid }
          );
        } finally {
          // Stopped (and its profile summarized) whether or not the run succeeded.
          profiles[kind] = await profiled.stop();
        }
        profiles[kind] = {
          callsPerSecondUnderProfiler: round(run.callsPerSecond, 1),
          featureStoreCpuMsPerCall: run.cpuMsPerCallByProcess['feature-store'],
          ...(profiles[kind] as Record<string, unknown>),
        };
      }
      details['featureStoreProfile'] = profiles;
    }

    details['parallelCpuCapacityAtEnd'] = await parallelCapacity();
    details['notes'] =
      'ours = GetFeatures through the feature-store process (grpc-js, FeatureReader: one HMGET + one PFCOUNT ' +
      '(+ one ZREVRANGE for item.also_used) per entity, auto-pipelined, then decoding, windows, freshness, ' +
      'protobuf encoding); limit = the same Redis commands from one Node process as one ioredis pipeline per ' +
      'call, replies left as buffers; readerInProcess = FeatureReader.read in the generator process (no gRPC). ' +
      'Requests ask for all 20 features of the kind the bench tenant has: the defaults (user 12 with 2 lists, ' +
      'item 11) and its own numeric ones (user 8, item 9). Generators, servers and Redis share the same 2 ' +
      'vCPUs; medians over interleaved rounds.';
    return { suite: 'features', unit: 'calls/s', ours: headline.ours, limit: headline.limit, details };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await nc.close().catch(() => undefined);
    await Promise.all([nats.stop(), redis.stop()]);
  }
}

interface FreshnessContext {
  nats: { url: string; pid: number | undefined };
  redis: { url: string; pid: number | undefined };
  jsm: JetStreamManager;
  nc: Awaited<ReturnType<typeof connect>>;
  workload: Workload;
  seconds: number;
  /** Event rates to run ours at; the first is the headline and also runs the limit. */
  rates: number[];
  hmacKeys: string;
  store: ServiceProcess;
}

const per1k = (used: Record<string, number>, events: number): Record<string, number> =>
  Object.fromEntries(Object.entries(used).map(([name, s]) => [name, round(events ? (s * 1e6) / events : 0, 1)]));

function pacedSpec(ctx: FreshnessContext, kind: PacedSpec['kind'], rate: number, target: string): PacedSpec {
  return {
    kind,
    workload: ctx.workload,
    rate,
    batch: PACED_BATCH,
    warmupSeconds: WARMUP_SECONDS,
    seconds: ctx.seconds,
    ...(kind === 'ingest' ? { target } : { natsUrl: target }),
  };
}

function probeSummary(p: ProbeResult): Record<string, number> {
  return {
    probes: p.probes,
    lost: p.lost,
    p50Ms: round(p.p50Ms, 2),
    p90Ms: round(p.p90Ms, 2),
    p99Ms: round(p.p99Ms, 2),
    maxMs: round(p.maxMs, 2),
    sendAckP50Ms: round(p.ackP50Ms, 2),
    sendAckP99Ms: round(p.ackP99Ms, 2),
  };
}

/** Ours at one rate: paced Ingest to event-intake, probes, the service's histogram, the consumer's backlog. */
async function oursFreshness(
  ctx: FreshnessContext,
  intake: ServiceProcess,
  rate: number,
  probeRedis: Redis,
  tag: string
): Promise<Record<string, unknown>> {
  const { nc, workload } = ctx;
  const client = apiClients.intake(intake.address, { defaultDeadlineMs: 30_000, apiKey: BENCH_API_KEY });
  const probeEvents = new WorkloadEvents(workload, Date.now(), workload.seed + 3000 + rate);
  const prefix = buildPrefix(TENANT, BUILD);
  const probeItem = (n: number): string => `probe-${tag}-${rate}-${n}`;
  const histogram = 'feature_store_freshness_seconds';
  let before = await readHistogram(ctx.store.metricsPort, histogram);
  let after = before;
  let pendingAtEnd = 0;
  let doneAt = 0;
  let probing: ReturnType<typeof probes> | undefined;
  log(`freshness: ours at ${rate} events/s`);
  const run = await withCpu(
    {
      'event-intake': intake.pid!,
      'feature-store': ctx.store.pid!,
      'nats-server': ctx.nats.pid!,
      'redis-server': ctx.redis.pid!,
    },
    (onPhase) =>
      runPaced(pacedSpec(ctx, 'ingest', rate, intake.address), (phase) => {
        onPhase(phase);
        if (phase === 'measuring') {
          void readHistogram(ctx.store.metricsPort, histogram).then((h) => (before = h));
          probing = probes(
            PROBES_PER_SECOND,
            async (n) => {
              const event = { ...probeEvents.next(Date.now()), type: 'view', itemIds: [probeItem(n)] };
              const response = await callUnary<IngestResponse__Output>((done) =>
                client.Ingest({ tenantId: TENANT, events: [toClientEvent(event)] }, done)
              );
              if (response.results[0]?.status !== 'EVENT_STATUS_ACCEPTED') throw new Error('probe not accepted');
            },
            async (n) =>
              (await probeRedis.hexists(featureKeys.entity(prefix, 'item', probeItem(n)), 'item.interactions')) === 1
          );
        } else {
          doneAt = performance.now();
          void readHistogram(ctx.store.metricsPort, histogram).then((h) => (after = h));
          void featureStoreBacklog(nc).then((n) => (pendingAtEnd = n ?? 0));
        }
      })
  );
  const probed = await probing!.stop();
  client.close();
  // The feature store catches up before anything else runs; how fast it drains its backlog is its capacity.
  for (const started = performance.now(); performance.now() - started < 180_000;) {
    if ((await featureStoreBacklog(nc)) === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const drainSeconds = (performance.now() - doneAt) / 1000;
  const service = histogramDelta(before, after);
  return {
    rate,
    acceptedPerSecond: Math.round(run.result.acceptedPerSecond),
    probe: probeSummary(probed),
    serviceHistogram: {
      count: service.count,
      meanMs: round(service.meanMs, 2),
      p50Ms: round(service.p50Ms, 2),
      p99Ms: round(service.p99Ms, 2),
      bucketsMs: service.bucketsMs,
    },
    consumerPendingAtEnd: pendingAtEnd,
    secondsToDrainAfterLoad: round(drainSeconds, 1),
    // With a backlog at the end, the store applied at most this many events per second while it drained.
    ...(pendingAtEnd > 1_000 && { drainEventsPerSecond: Math.round(pendingAtEnd / drainSeconds) }),
    cpuMsPer1kEventsByProcess: {
      ...per1k(run.cpuSeconds, run.result.accepted),
      generator: round(run.result.generatorCpuMsPer1k, 1),
    },
    ingest: run.result,
  };
}

/** The limit: raw publish → JetStream (file) → bare pull consumer → one Redis write per message. */
async function limitFreshness(
  ctx: FreshnessContext,
  rate: number,
  probeRedis: Redis,
  tag: string
): Promise<Record<string, unknown>> {
  const { jsm, workload } = ctx;
  const spec = { ...eventsStream(1), subject_transform: undefined }; // one partition: its own subjects
  await jsm.streams.add({ ...spec, name: FRESH_STREAM, subjects: [`${FRESH_SUBJECT}.>`] });
  await jsm.consumers.add(FRESH_STREAM, FRESH_CONSUMER);
  const consumer = await startRawConsumer(ctx.nats.url, ctx.redis.url);
  const publisher = new JetStreamPublisher(ctx.nc, 5_000);
  try {
    const probeData = freshPool(workload, 1, workload.seed + 4000)[0]!.stored;
    log(`freshness: limit at ${rate} events/s`);
    let probing: ReturnType<typeof probes> | undefined;
    const run = await withCpu(
      { 'raw-consumer': consumer.pid!, 'nats-server': ctx.nats.pid!, 'redis-server': ctx.redis.pid! },
      (onPhase) =>
        runPaced(pacedSpec(ctx, 'publish', rate, ctx.nats.url), (phase) => {
          onPhase(phase);
          if (phase === 'measuring') {
            probing = probes(
              PROBES_PER_SECOND,
              async (n) => {
                await publisher.publish(`${FRESH_SUBJECT}.probe.${tag}-${n}`, probeData, `probe:${tag}:${n}`);
              },
              async (n) => (await probeRedis.exists(`fresh:${FRESH_SUBJECT}.probe.${tag}-${n}`)) === 1
            );
          }
        })
    );
    const probed = await probing!.stop();
    return {
      rate,
      storedPerSecond: Math.round(run.result.acceptedPerSecond),
      probe: probeSummary(probed),
      cpuMsPer1kEventsByProcess: {
        ...per1k(run.cpuSeconds, run.result.accepted),
        generator: round(run.result.generatorCpuMsPer1k, 1),
      },
      publish: run.result,
    };
  } finally {
    publisher.close();
    consumer.kill('SIGTERM');
    await new Promise((r) => consumer.once('exit', r));
    await jsm.streams.delete(FRESH_STREAM);
  }
}

async function freshness(ctx: FreshnessContext): Promise<Record<string, unknown>> {
  const tag = randomBytes(4).toString('hex');
  const probeRedis = new Redis(ctx.redis.url);
  let intake: ServiceProcess | undefined;
  try {
    intake = await startServiceProcess({
      name: 'event-intake',
      repoRoot: REPO_ROOT,
      env: { NATS_URL: ctx.nats.url, LOG_LEVEL: 'warn', IDENTITY_HMAC_KEYS: ctx.hmacKeys, HTTP_PORT: '0' },
    });
    const ours: Record<string, unknown>[] = [];
    for (const rate of ctx.rates) ours.push(await oursFreshness(ctx, intake, rate, probeRedis, tag));
    await intake.stop();
    intake = undefined;
    const limit = await limitFreshness(ctx, ctx.rates[0]!, probeRedis, tag);
    const headline = ours[0]! as { probe: { p50Ms: number; p99Ms: number } };
    const limitProbe = limit['probe'] as { p50Ms: number; p99Ms: number };
    return {
      rate: ctx.rates[0],
      oursP50Ms: headline.probe.p50Ms,
      oursP99Ms: headline.probe.p99Ms,
      limitP50Ms: limitProbe.p50Ms,
      limitP99Ms: limitProbe.p99Ms,
      p99Ratio: round(headline.probe.p99Ms / (limitProbe.p99Ms || Infinity)),
      goalP99Ms: 100,
      ours,
      limit,
      notes:
        'Probes: a view of a never-seen item every 50 ms of the measured period; latency = the first Redis read ' +
        'that finds its feature (polled from the send on, every ~1 ms or 2% of the probe’s age) minus the moment ' +
        'the send was acknowledged (Ingest answered / PubAck). GetFeatures reads Redis directly (no cache), so ' +
        'visible in Redis = visible to GetFeatures. serviceHistogram = feature_store_freshness_seconds (intake ' +
        'receive time → applied) over the measured period, quantiles interpolated within its buckets. limit = ' +
        'the same events as intake stores them, published on schedule with intake’s publisher to a file stream, ' +
        'a bare consume() pull consumer writing one hash field per message, then acking.',
    };
  } finally {
    await intake?.stop();
    probeRedis.disconnect();
  }
}
