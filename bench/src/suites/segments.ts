/**
 * `segments`: audience segments (services/feature-store README, "Segments"), two parts.
 *
 * 1. Latency: 50 segments over default user features, events through event-intake at an open-loop rate
 *    (5,000/s by default) over a pool of users; for every membership change an event of the measured period
 *    caused, the time from that event's due send time to the change message arriving at a subscriber of
 *    SEGMENT_CHANGES. The event id carries its due time (µs since the epoch) and the change message its cause
 *    (Nats-Msg-Id `<tenant>:<event id>:<+|-><segment>`), so every change is matched to the event behind it.
 *    Limit, as the `features` suite's freshness limit, at the same rate: the same events in stored form
 *    published straight to a file stream, a bare pull consumer writing one Redis hash field and publishing one
 *    change message to a second file stream per event, and the same subscriber.
 * 2. Backfill: BENCH_PROFILES (1,000,000) user profiles in the real key layout (a few thousand made by the
 *    real path, intake → feature store, then copied hash for hash, TTL included, to the rest), then PutSegment
 *    of a new segment: profiles per second from the call until the store's
 *    feature_store_segment_backfill_profiles_total has counted every profile. Limit: SCAN (same pattern and
 *    COUNT) + pipelined HMGET of the condition's fields over the same keys from one Node process.
 *
 * Knobs: BENCH_SECONDS (10), BENCH_EVENT_RATES (5000,500: the first is the headline and runs the limit too; the
 * others show ours at rates this machine may sustain), BENCH_SEGMENT_USERS (users per rate, default 2 x rate),
 * BENCH_PROFILES (1000000), BENCH_PARTS (latency,backfill), BENCH_REDIS_CLUSTER (0; 3: the features on a Redis Cluster of 3
 * primaries, latency only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { freemem } from 'node:os';
import { resolve } from 'node:path';

import * as grpc from '@grpc/grpc-js';

import { apiKeyInterceptor } from '@dmp/grpc';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

import { buildPrefix, featureKeys, parseSegment, SegmentMemberships } from '@dmp/features';
import { apiClients, callUnary, type Event, type IngestResponse__Output } from '@dmp/grpc';
import { prng } from '@dmp/demo-data';
import {
  startNatsServer,
  startRedisCluster,
  startRedisServer,
  startServiceProcess,
  type ServiceProcess,
} from '@dmp/local-servers';
import { createTenant, ensureStream, eventsStream, featureStoreBacklog, JetStreamPublisher } from '@dmp/messaging';

import { runGenerator, serveGenerator, type Phase } from '../generator-process';
import { countResults, EventIds, ingestRequest, pooledEvent, storedMessage, type PooledEvent } from '../intake-events';
import type { SuiteOptions } from '../main';
import { cpuSeconds } from '../proc';
import type { SuiteResult } from '../result';
import { parallelCapacity } from './feature-workload';
import { BENCH_API_KEY, storeBenchKey } from '../bench-key';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const LATENCY_TENANT = 'seg';
const BACKFILL_TENANT = 'bf';
const WARMUP_SECONDS = 2;
/** Ingest batch of the paced load: 50 events every 10 ms at 5,000 events/s. */
const BATCH = 50;
/** A sender more than this far behind drops sends rather than bursting them (open loop, bounded). */
const MAX_LAG_MS = 1_000;
const LIMIT_EVENTS = 'BENCH_SEG_EVENTS';
const LIMIT_CHANGES = 'BENCH_SEG_CHANGES';
const LIMIT_DURABLE = 'bench-seg-relay';
/** Distinct events encoded up front (cycled), and items and categories they name. */
const POOL_SIZE = 65_536;
const ITEMS = 2_000;
const CATEGORIES = 20;
/** Profiles of the backfill made through intake and the feature store; the rest are copies of them. */
const TEMPLATE_PROFILES = 2_000;
const BACKFILL_SEGMENT = {
  id: 'bf-engaged',
  condition: 'profile["user.views_24h"] >= 3.0 || profile["user.purchases_30d"] >= 1.0',
};

const log = (text: string): void => void process.stderr.write(`segments: ${text}\n`);
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Microseconds since the epoch, comparable between processes (same wall clock), sub-millisecond resolution. */
const nowUs = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Segments and events
// ---------------------------------------------------------------------------------------------------------

/**
 * 50 segments over the default user features, thresholds low enough that users of a few events cross them:
 * joins as counts rise, leaves where a condition has an upper bound (views below k, no purchase yet, revenue
 * below x, a click-through rate that falls as impressions come).
 */
export function latencySegments(): { id: string; condition: string }[] {
  const p = (feature: string): string => `profile["user.${feature}"]`;
  const segments: { id: string; condition: string }[] = [];
  const add = (id: string, condition: string): void => void segments.push({ id, condition });
  // Counts that rise with every view, impression or purchase: a user crosses each threshold once.
  for (const k of [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20]) add(`views-1h-ge-${k}`, `${p('views_1h')} >= ${k}.0`);
  for (const k of [2, 4, 6]) add(`views-24h-imp-${k}`, `${p('views_24h')} >= ${k}.0 && ${p('impressions_7d')} >= 1.0`);
  for (const k of [1, 2, 3, 5]) add(`purchases-ge-${k}`, `${p('purchases_30d')} >= ${k}.0`);
  for (const x of [500, 1000, 2000, 3000, 5000, 10000]) add(`revenue-ge-${x}`, `${p('revenue_30d')} >= ${x}.0`);
  for (const k of [2, 3, 4, 6, 8, 12]) add(`distinct-items-ge-${k}`, `${p('distinct_items_7d')} >= ${k}.0`);
  for (const k of [1, 3, 5, 10]) add(`impressions-ge-${k}`, `${p('impressions_7d')} >= ${k}.0`);
  for (const k of [1, 3]) add(`clicks-ge-${k}`, `${p('clicks_7d')} >= ${k}.0`);
  for (const k of [3, 5, 8, 30, 40]) add(`engaged-${k}`, `${p('views_7d')} >= ${k}.0 || ${p('purchases_30d')} >= 1.0`);
  add('seen', `${p('last_seen')} > 0.0`);
  add('explorers', `${p('views_7d')} >= 2.0 && ${p('distinct_items_7d')} >= 2.0`);
  // Upper bounds: members leave as counts rise (more views, a first purchase, more revenue, more impressions).
  for (const k of [3, 6]) add(`views-1h-lt-${k}`, `${p('views_1h')} >= 1.0 && ${p('views_1h')} < ${k}.0`);
  for (const k of [2, 3])
    add(
      `browsers-${k}`,
      `${p('views_24h')} >= ${k}.0 && (!("user.purchases_30d" in profile) || ${p('purchases_30d')} < 1.0)`
    );
  add('small-spenders', `${p('purchases_30d')} >= 1.0 && ${p('revenue_30d')} < 1000.0`);
  for (const x of [0.3, 0.5]) add(`ctr-ge-${x * 10}`, `${p('ctr_7d')} >= ${x}`);
  // Every condition must be one the feature store accepts.
  for (const s of segments) parseSegment(s);
  if (segments.length !== 50) throw new Error(`expected 50 segments, got ${segments.length}`);
  return segments;
}

/** Event types and their shares (as the features suite's workload). */
const TYPES: readonly [string, number][] = [
  ['view', 0.55],
  ['impression', 0.2],
  ['click', 0.07],
  ['add_to_cart', 0.11],
  ['purchase', 0.07],
];

/** A client event (as sent to Ingest) of a random type, item and user among `userIds`. */
function clientEvent(random: () => number, userId: string, occurredMs: number, eventId: string): Event {
  const r = random();
  let type = TYPES[0]![0];
  for (let acc = 0, i = 0; i < TYPES.length; i++) {
    acc += TYPES[i]![1];
    if (r < acc) {
      type = TYPES[i]![0];
      break;
    }
  }
  const item = Math.floor(ITEMS * random() ** 2);
  const properties: NonNullable<Event['properties']> = {
    category: { stringValue: `cat-${String(item % CATEGORIES).padStart(3, '0')}` },
  };
  if (type === 'purchase') properties['revenue'] = { numberValue: Math.round(random() * 500_000) / 100 };
  return {
    eventId,
    type,
    identities: { userId },
    itemIds: [`sku-${String(item).padStart(6, '0')}`],
    properties,
    context: { channel: random() < 0.33 ? 'web' : 'app' },
    occurredAt: { seconds: String(Math.floor(occurredMs / 1000)), nanos: (occurredMs % 1000) * 1e6 },
  };
}

/** Event ids `<4 hex run tag>-<due time, 16 digit µs since the epoch>-<8 digit counter>`: fixed width. */
const TIMED_ID_LENGTH = 30;
const TIMED_ID = /([0-9a-f]{4})-(\d{16})-(\d{8})/;

/** Writes ids that carry the due time of the send they belong to (set `dueUs` before each send). */
class TimedIds extends EventIds {
  private readonly runTag = randomBytes(2).toString('hex');
  private count = 0;
  dueUs = 0;

  override write(target: Buffer, at: number): string {
    const id = `${this.runTag}-${String(this.dueUs).padStart(16, '0')}-${String(this.count++ % 1e8).padStart(8, '0')}`;
    target.write(id, at, 'latin1');
    return id;
  }
}

interface PacedSpec {
  kind: 'ingest' | 'publish';
  tenantId: string;
  /** Users `<userPrefix><n>`, n < users, drawn uniformly. */
  users: number;
  userPrefix: string;
  rate: number;
  batch: number;
  warmupSeconds: number;
  seconds: number;
  seed: number;
  /** ingest: intake's gRPC address; publish: NATS and the subject to publish on. */
  target?: string;
  natsUrl?: string;
  subject?: string;
}

interface PacedResult {
  kind: PacedSpec['kind'];
  /** Due times of the measured period's sends, µs since the epoch: [from, to). */
  measuredFromUs: number;
  measuredToUs: number;
  seconds: number;
  /** Events of the measured period sent, and accepted (ingest) or stored (publish). */
  sent: number;
  accepted: number;
  acceptedPerSecond: number;
  rejected: number;
  firstProblem?: string;
  errors: number;
  firstError?: string;
  /** Events of the measured period not sent because the sender was more than 1 s behind schedule. */
  skipped: number;
  /** Call latency (ingest: per batch; publish: per batch of messages), ms. */
  callP50Ms: number;
  callP99Ms: number;
  /** p99 of a send's delay behind its due time (the generator's own share of the latencies), ms. */
  sendLagP99Ms: number;
  maxInFlight: number;
  generatorCpuMsPer1k: number;
}

/** `size` distinct events encoded once with an id placeholder, as sent and as intake stores them. */
function eventPool(spec: PacedSpec, size: number): PooledEvent[] {
  const random = prng(spec.seed);
  const nowMs = Date.now();
  const placeholder = 'Z'.repeat(TIMED_ID_LENGTH);
  return Array.from({ length: size }, () => {
    const user = `${spec.userPrefix}${String(Math.floor(random() * spec.users)).padStart(7, '0')}`;
    return pooledEvent(
      clientEvent(random, user, nowMs, placeholder),
      spec.tenantId,
      nowMs,
      placeholder,
      spec.subject ?? ''
    );
  });
}

interface Sent {
  accepted: number;
  rejected: number;
  firstProblem?: string;
}

interface Sender {
  send(from: number, size: number, dueUs: number): Promise<Sent>;
  close(): Promise<void>;
}

function ingestSender(spec: PacedSpec, pool: PooledEvent[]): Sender {
  const ids = new TimedIds();
  const client = new grpc.Client(spec.target!, grpc.credentials.createInsecure(), {
    interceptors: [apiKeyInterceptor(BENCH_API_KEY)],
  });
  return {
    send: (from, size, dueUs) => {
      ids.dueUs = dueUs;
      const request = ingestRequest(spec.tenantId, pool, from, size, ids);
      return new Promise((resolve, reject) =>
        client.makeUnaryRequest<Buffer, Buffer>(
          '/dmp.intake.v1.IntakeService/Ingest',
          (b) => b,
          (b) => b,
          request,
          { deadline: Date.now() + 30_000 },
          (error, response) => {
            if (error) return reject(error);
            const counts = { accepted: 0, duplicate: 0, rejected: 0 } as Sent & { duplicate: number };
            countResults(response!, counts);
            resolve(counts);
          }
        )
      );
    },
    close: () => Promise.resolve(client.close()),
  };
}

async function publishSender(spec: PacedSpec, pool: PooledEvent[]): Promise<Sender> {
  const ids = new TimedIds();
  const nc = await connect({ servers: spec.natsUrl!, noAsyncTraces: true });
  const publisher = new JetStreamPublisher(nc, 5_000);
  return {
    send: async (from, size, dueUs) => {
      ids.dueUs = dueUs;
      const acks: Promise<unknown>[] = [];
      for (let i = 0; i < size; i++) {
        const message = storedMessage(spec.tenantId, pool[(from + i) % pool.length]!, ids);
        acks.push(publisher.publish(message.subject, message.data, message.msgID));
      }
      await Promise.all(acks);
      return { accepted: size, rejected: 0 };
    },
    close: async () => {
      publisher.close();
      await nc.close();
    },
  };
}

/**
 * Open loop: a batch of `batch` events is due every batch / rate seconds and goes out at its due time
 * whatever earlier calls did (a sender more than MAX_LAG_MS behind skips, and counts, the batches it missed).
 * Each event's id carries its batch's due time.
 */
async function paced(spec: PacedSpec): Promise<PacedResult> {
  const pool = eventPool(spec, Math.min(POOL_SIZE, Math.ceil(spec.rate * (spec.warmupSeconds + spec.seconds))));
  const sender = spec.kind === 'ingest' ? ingestSender(spec, pool) : await publishSender(spec, pool);
  const intervalMs = (spec.batch * 1000) / spec.rate;
  const latencies: number[] = [];
  const lags: number[] = [];
  const result = { sent: 0, accepted: 0, rejected: 0, errors: 0, skipped: 0, maxInFlight: 0 };
  let firstProblem: string | undefined;
  let firstError: string | undefined;
  let inFlight = 0;
  let next = 0;
  let cpuAtStart = process.cpuUsage();
  let cpuMs = 0;
  let measuredFrom = 0;
  let measuredSeconds = spec.seconds;
  const pending = new Set<Promise<void>>();
  const startedAt = performance.now();
  const warmEnd = startedAt + spec.warmupSeconds * 1000;
  const end = warmEnd + spec.seconds * 1000;
  const toUs = (t: number): number => Math.round((performance.timeOrigin + t) * 1000);

  const fire = (due: number, counted: boolean): void => {
    const t0 = performance.now();
    if (counted) {
      lags.push(t0 - due);
      result.sent += spec.batch;
    }
    const from = next;
    next = (next + spec.batch) % pool.length;
    inFlight++;
    result.maxInFlight = Math.max(result.maxInFlight, inFlight);
    const task = sender.send(from, spec.batch, toUs(due)).then(
      (sent) => {
        inFlight--;
        if (!counted) return;
        result.accepted += sent.accepted;
        result.rejected += sent.rejected;
        firstProblem ??= sent.firstProblem;
        latencies.push(performance.now() - t0);
      },
      (error: unknown) => {
        inFlight--;
        if (counted) result.errors++;
        firstError ??= (error as Error).message;
      }
    );
    pending.add(task);
    void task.finally(() => pending.delete(task));
  };

  await new Promise<void>((done) => {
    let due = startedAt;
    let measuring = false;
    const tick = (): void => {
      const now = performance.now();
      if (!measuring && now >= warmEnd && now < end) {
        measuring = true;
        measuredFrom = now;
        cpuAtStart = process.cpuUsage();
        process.send?.('measuring');
      }
      while (due <= now && due < end) {
        const counted = due >= warmEnd;
        if (now - due > MAX_LAG_MS) {
          if (counted) result.skipped += spec.batch;
        } else fire(due, counted);
        due += intervalMs;
      }
      if (due >= end) {
        measuredSeconds = (now - measuredFrom) / 1000;
        const cpu = process.cpuUsage(cpuAtStart);
        cpuMs = (cpu.user + cpu.system) / 1000;
        if (process.send) process.send('done', () => done());
        else done();
        return;
      }
      setTimeout(tick, Math.max(0, due - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  await sender.close();
  const q = (list: number[], p: number): number => {
    list.sort((a, b) => a - b);
    return list[Math.min(list.length - 1, Math.floor(p * list.length))] ?? 0;
  };
  return {
    kind: spec.kind,
    measuredFromUs: toUs(warmEnd),
    measuredToUs: toUs(end),
    seconds: measuredSeconds,
    ...result,
    acceptedPerSecond: result.accepted / spec.seconds,
    ...(firstProblem !== undefined && { firstProblem }),
    ...(firstError !== undefined && { firstError }),
    callP50Ms: q(latencies, 0.5),
    callP99Ms: q(latencies, 0.99),
    sendLagP99Ms: q(lags, 0.99),
    generatorCpuMsPer1k: result.accepted ? (cpuMs * 1000) / result.accepted : 0,
  };
}

function runPaced(spec: PacedSpec, onPhase: (phase: Phase) => void): Promise<PacedResult> {
  return runGenerator<PacedResult>('paced generator', __filename, ['paced', JSON.stringify(spec)], onPhase);
}

/** A client of the Redis at `url`, or of the Redis Cluster whose seed nodes `url` lists (comma-separated). */
function redisClient(url: string, options: RedisOptions = {}): Redis {
  const seeds = url.split(',');
  if (seeds.length === 1) return new Redis(url, options);
  return new Cluster(
    seeds.map((seed) => ({ host: new URL(seed).hostname, port: Number(new URL(seed).port) })),
    { enableAutoPipelining: options.enableAutoPipelining ?? false, redisOptions: options }
  ) as unknown as Redis;
}

/**
 * The limit's consumer: pulls LIMIT_EVENTS, writes one hash field per message to Redis, publishes one change
 * message (its cause in the Nats-Msg-Id, as the feature store's) to LIMIT_CHANGES, acks. Nothing decoded.
 */
async function relay(natsUrl: string, redisUrl: string): Promise<void> {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const redis = redisClient(redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
  const publisher = new JetStreamPublisher(nc, 5_000);
  const consumer = await jetstream(nc).consumers.get(LIMIT_EVENTS, LIMIT_DURABLE);
  const messages = await consumer.consume({ max_messages: 1_000 });
  process.send?.('ready');
  process.once('SIGTERM', () => void messages.close());
  const encoder = new TextEncoder();
  for await (const message of messages) {
    const cause = message.headers?.get('Nats-Msg-Id') ?? String(message.seq);
    redis
      .hset(`segbench:${message.subject}`, 'seq', message.seq)
      .then(() => {
        const body = { tenant: LATENCY_TENANT, segment: 'limit', subject: message.subject, change: 'joined' };
        return publisher.publish(
          `benchseg.changes.${LATENCY_TENANT}`,
          encoder.encode(JSON.stringify({ ...body, atMs: Date.now() })),
          `${cause}:+limit`
        );
      })
      .then(
        () => message.ack(),
        () => message.nak()
      );
  }
  publisher.close();
  await redis.quit();
  await nc.close();
}

async function startRelay(natsUrl: string, redisUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [__filename, 'relay', natsUrl, redisUrl], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  await new Promise<void>((ok, fail) => {
    child.once('message', () => ok());
    child.once('exit', (code) => fail(new Error(`relay exited with ${code}`)));
  });
  return child;
}

// ---------------------------------------------------------------------------------------------------------
// Measuring in this process
// ---------------------------------------------------------------------------------------------------------

interface Arrival {
  eventId: string;
  dueUs: number;
  arrivalUs: number;
  /** When the publisher stamped the change (its atMs). */
  atMs: number;
  joined: boolean;
  segment: string;
}

/** Follows a stream's new messages (an ordered consumer) and records each change with its cause. */
async function recordChanges(
  nc: NatsConnection,
  stream: string,
  filter: string
): Promise<{ arrivals: Arrival[]; unattributed: () => number; lastArrival: () => number; stop: () => Promise<void> }> {
  const consumer = await jetstream(nc).consumers.get(stream, {
    filter_subjects: [filter],
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const arrivals: Arrival[] = [];
  let unattributed = 0;
  let last = performance.now();
  const loop = (async () => {
    for await (const message of messages) {
      const arrivalUs = nowUs();
      last = performance.now();
      const match = TIMED_ID.exec(message.headers?.get('Nats-Msg-Id') ?? '');
      if (!match) {
        unattributed++;
        continue;
      }
      const body = message.json<{ atMs?: number; change?: string; segment?: string }>();
      arrivals.push({
        eventId: match[0],
        dueUs: Number(match[2]),
        arrivalUs,
        atMs: body.atMs ?? 0,
        joined: body.change === 'joined',
        segment: body.segment ?? '',
      });
    }
  })();
  return {
    arrivals,
    unattributed: () => unattributed,
    lastArrival: () => last,
    stop: async () => {
      await messages.close();
      await loop;
    },
  };
}

function quantiles(values: number[]): { p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; meanMs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    p50Ms: round(q(0.5)),
    p90Ms: round(q(0.9)),
    p99Ms: round(q(0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    meanMs: round(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0),
  };
}

/** The changes caused by events due in the measured period: latencies and how many. */
function summarizeChanges(arrivals: Arrival[], generator: PacedResult): Record<string, unknown> {
  const measured = arrivals.filter((a) => a.dueUs >= generator.measuredFromUs && a.dueUs < generator.measuredToUs);
  const joined = measured.filter((a) => a.joined).length;
  const causes = new Set(measured.map((a) => a.eventId)).size;
  const bySegment = new Map<string, number>();
  for (const a of measured) bySegment.set(a.segment, (bySegment.get(a.segment) ?? 0) + 1);
  return {
    changes: measured.length,
    joined,
    left: measured.length - joined,
    changesPerAcceptedEvent: round(generator.accepted ? measured.length / generator.accepted : 0, 3),
    shareOfEventsWithAChange: round(generator.accepted ? causes / generator.accepted : 0, 3),
    latency: quantiles(measured.map((a) => (a.arrivalUs - a.dueUs) / 1000)),
    // The split: due send → the publisher stamped the change; stamped → arrived at the subscriber.
    dueToChangePublished: quantiles(measured.map((a) => a.atMs - a.dueUs / 1000)),
    changePublishedToArrival: quantiles(measured.map((a) => a.arrivalUs / 1000 - a.atMs)),
    changesBySegment: Object.fromEntries([...bySegment].sort((a, b) => b[1] - a[1])),
  };
}

function metricsText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics' }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(text));
    }).once('error', reject);
  });
}

/** Sum of a counter's series whose labels contain `labels` (all series when empty). */
async function counter(port: number, name: string, labels = ''): Promise<number> {
  let sum = 0;
  for (const line of (await metricsText(port)).split('\n')) {
    if (!(line.startsWith(`${name} `) || line.startsWith(`${name}{`))) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Waits until the durable has nothing pending or unacked; seconds it took. */
/** Seconds until `backlogOf` says 0. */
async function drained(backlogOf: () => Promise<number>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await backlogOf()) === 0) return (performance.now() - started) / 1000;
    await sleep(100);
  }
  throw new Error(`still a backlog after ${timeoutMs / 1000} s`);
}

/** Messages of a durable not yet acked (pending and in hand). */
async function consumerBacklog(jsm: JetStreamManager, stream: string, durable: string): Promise<number> {
  const info = await jsm.consumers.info(stream, durable);
  return info.num_pending + info.num_ack_pending;
}

/** The feature store's backlog over every partition of EVENTS. */
const storeBacklog = async (nc: NatsConnection): Promise<number> => (await featureStoreBacklog(nc)) ?? Infinity;

/** CPU seconds of each named process (or group of processes: the nodes of a Redis Cluster) so far. */
function cpuReader(pids: Record<string, number | readonly number[] | undefined>): () => Record<string, number> {
  return () =>
    Object.fromEntries(
      Object.entries(pids).flatMap(([name, pid]) => {
        const all = (Array.isArray(pid) ? pid : [pid]).filter((p): p is number => p !== undefined);
        return all.length > 0 ? [[name, all.reduce((sum, p) => sum + cpuSeconds(p), 0)]] : [];
      })
    );
}

/** CPU cores each process used on average between two readings `seconds` apart. */
const cores = (before: Record<string, number>, after: Record<string, number>, seconds: number) =>
  Object.fromEntries(Object.entries(after).map(([name, s]) => [name, round((s - (before[name] ?? 0)) / seconds)]));

const per1k = (before: Record<string, number>, after: Record<string, number>, events: number) =>
  Object.fromEntries(
    Object.entries(after).map(([name, s]) => [name, round(events ? ((s - (before[name] ?? 0)) * 1e6) / events : 0, 1)])
  );

interface Context {
  nc: NatsConnection;
  jsm: JetStreamManager;
  nats: { url: string; pid: number | undefined };
  /** One Redis, or the nodes of a Redis Cluster (BENCH_REDIS_CLUSTER). */
  redis: { url: string; pids: number[] };
  intake: ServiceProcess;
  store: ServiceProcess;
  seconds: number;
}

// ---------------------------------------------------------------------------------------------------------
// Part 1: event → membership change latency
// ---------------------------------------------------------------------------------------------------------

async function oursLatency(ctx: Context, rate: number, users: number, tag: string): Promise<Record<string, unknown>> {
  log(`latency: ours at ${rate} events/s over ${users} users`);
  const changes = await recordChanges(ctx.nc, 'SEGMENT_CHANGES', `segments.v1.${LATENCY_TENANT}.>`);
  const cpu = cpuReader({
    'event-intake': ctx.intake.pid,
    'feature-store': ctx.store.pid,
    'nats-server': ctx.nats.pid,
    'redis-server': ctx.redis.pids,
  });
  const applied = (): Promise<number> => counter(ctx.store.metricsPort, 'feature_store_events_total', 'applied');
  let cpuStart: Record<string, number> = {};
  let cpuEnd: Record<string, number> = {};
  let appliedStart: Promise<number> = Promise.resolve(0);
  let appliedEnd: Promise<number> = Promise.resolve(0);
  let backlogEnd: Promise<number> = Promise.resolve(0);
  let doneAt = 0;
  try {
    const generator = await runPaced(
      {
        kind: 'ingest',
        tenantId: LATENCY_TENANT,
        users,
        userPrefix: `${tag}-${rate}-`,
        rate,
        batch: BATCH,
        warmupSeconds: WARMUP_SECONDS,
        seconds: ctx.seconds,
        seed: rate,
        target: ctx.intake.address,
      },
      (phase) => {
        if (phase === 'measuring') {
          cpuStart = cpu();
          appliedStart = applied();
        } else {
          doneAt = performance.now();
          cpuEnd = cpu();
          appliedEnd = applied();
          backlogEnd = storeBacklog(ctx.nc);
        }
      }
    );
    if (generator.errors > 0 || generator.rejected > 0)
      log(
        `ours: ${generator.errors} errors (${generator.firstError}), ${generator.rejected} rejected (${generator.firstProblem})`
      );
    const [startCount, endCount, pendingAtEnd] = await Promise.all([appliedStart, appliedEnd, backlogEnd]);
    // Everything sent is applied and its changes have arrived before anything else runs.
    await drained(() => storeBacklog(ctx.nc), 600_000);
    const drainSeconds = (performance.now() - doneAt) / 1000;
    while (performance.now() - changes.lastArrival() < 2_000) await sleep(200);
    const appliedDuringLoad = (endCount - startCount) / generator.seconds;
    return {
      rate,
      users,
      acceptedPerSecond: Math.round(generator.acceptedPerSecond),
      skippedBySender: generator.skipped,
      rejected: generator.rejected,
      errors: generator.errors,
      // Sustained: nothing skipped, and the store applied what was sent as it came (under a second's worth left).
      sustained: generator.skipped === 0 && pendingAtEnd < rate,
      storeAppliedPerSecondDuringLoad: Math.round(appliedDuringLoad),
      storeBacklogAtEnd: pendingAtEnd,
      secondsToDrainAfterLoad: round(drainSeconds, 1),
      ...(pendingAtEnd > 1_000 && { drainEventsPerSecond: Math.round(pendingAtEnd / Math.max(drainSeconds, 0.001)) }),
      ...summarizeChanges(changes.arrivals, generator),
      unattributedChanges: changes.unattributed(),
      cpuMsPer1kEventsByProcess: {
        ...per1k(cpuStart, cpuEnd, generator.accepted),
        generator: round(generator.generatorCpuMsPer1k, 1),
      },
      cpuCoresDuringLoadByProcess: cores(cpuStart, cpuEnd, generator.seconds),
      generator,
    };
  } finally {
    await changes.stop();
  }
}

async function limitLatency(ctx: Context, rate: number): Promise<Record<string, unknown>> {
  log(`latency: limit at ${rate} events/s`);
  const { jsm } = ctx;
  const spec = { ...eventsStream(1), subject_transform: undefined }; // one partition: its own subjects
  await jsm.streams.add({ ...spec, name: LIMIT_EVENTS, subjects: ['benchseg.events.>'] });
  await jsm.streams.add({ ...spec, name: LIMIT_CHANGES, subjects: ['benchseg.changes.>'] });
  await jsm.consumers.add(LIMIT_EVENTS, {
    durable_name: LIMIT_DURABLE,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: 20_000,
  });
  const relayProcess = await startRelay(ctx.nats.url, ctx.redis.url);
  const changes = await recordChanges(ctx.nc, LIMIT_CHANGES, 'benchseg.changes.>');
  const cpu = cpuReader({ relay: relayProcess.pid, 'nats-server': ctx.nats.pid, 'redis-server': ctx.redis.pids });
  let cpuStart: Record<string, number> = {};
  let cpuEnd: Record<string, number> = {};
  let backlogEnd: Promise<number> = Promise.resolve(0);
  try {
    const generator = await runPaced(
      {
        kind: 'publish',
        tenantId: LATENCY_TENANT,
        users: rate * 2,
        userPrefix: `limit-${rate}-`,
        rate,
        batch: BATCH,
        warmupSeconds: WARMUP_SECONDS,
        seconds: ctx.seconds,
        seed: rate + 1,
        natsUrl: ctx.nats.url,
        subject: `benchseg.events.${LATENCY_TENANT}`,
      },
      (phase) => {
        if (phase === 'measuring') cpuStart = cpu();
        else {
          cpuEnd = cpu();
          backlogEnd = consumerBacklog(jsm, LIMIT_EVENTS, LIMIT_DURABLE);
        }
      }
    );
    const pendingAtEnd = await backlogEnd;
    await drained(() => consumerBacklog(jsm, LIMIT_EVENTS, LIMIT_DURABLE), 600_000);
    while (performance.now() - changes.lastArrival() < 2_000) await sleep(200);
    return {
      rate,
      storedPerSecond: Math.round(generator.acceptedPerSecond),
      skippedBySender: generator.skipped,
      errors: generator.errors,
      relayBacklogAtEnd: pendingAtEnd,
      ...summarizeChanges(changes.arrivals, generator),
      unattributedChanges: changes.unattributed(),
      cpuMsPer1kEventsByProcess: {
        ...per1k(cpuStart, cpuEnd, generator.accepted),
        generator: round(generator.generatorCpuMsPer1k, 1),
      },
      generator,
    };
  } finally {
    await changes.stop();
    relayProcess.kill('SIGTERM');
    await new Promise((r) => relayProcess.once('exit', r));
    await jsm.streams.delete(LIMIT_EVENTS);
    await jsm.streams.delete(LIMIT_CHANGES);
  }
}

async function latencyPart(ctx: Context, rates: number[]): Promise<Record<string, unknown>> {
  const segments = latencySegments();
  const client = apiClients.featureStore(ctx.store.address, { defaultDeadlineMs: 10_000, apiKey: BENCH_API_KEY });
  try {
    for (const segment of segments)
      await callUnary((done) =>
        client.PutSegment(
          { tenantId: LATENCY_TENANT, segmentJson: JSON.stringify({ ...segment, publishChanges: true }) },
          done
        )
      );
  } finally {
    client.close();
  }
  await sleep(500); // the backfills of the empty tenant's new segments end at once
  const tag = randomBytes(2).toString('hex');
  const usersFor = (rate: number): number =>
    process.env['BENCH_SEGMENT_USERS'] ? positiveInt('BENCH_SEGMENT_USERS', 1) : rate * 2;
  const ours: Record<string, unknown>[] = [];
  for (const rate of rates) ours.push(await oursLatency(ctx, rate, usersFor(rate), tag));
  const limit = await limitLatency(ctx, rates[0]!);
  const headline = ours[0] as { latency: { p50Ms: number; p99Ms: number }; acceptedPerSecond: number };
  const limitLatencies = limit['latency'] as { p50Ms: number; p99Ms: number };
  return {
    segments: segments.length,
    rate: rates[0],
    oursP50Ms: headline.latency.p50Ms,
    oursP99Ms: headline.latency.p99Ms,
    limitP50Ms: limitLatencies.p50Ms,
    limitP99Ms: limitLatencies.p99Ms,
    p99Ratio: round(headline.latency.p99Ms / (limitLatencies.p99Ms || Infinity), 3),
    ours,
    limit,
    segmentDefinitions: segments,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Part 2: backfill
// ---------------------------------------------------------------------------------------------------------

const profileId = (i: number): string => `p-${String(i).padStart(7, '0')}`;

/** The template profiles, through the real path: events to intake, applied by the feature store. */
async function makeTemplates(ctx: Context, count: number): Promise<number> {
  const random = prng(42);
  const client = apiClients.intake(ctx.intake.address, { defaultDeadlineMs: 30_000, apiKey: BENCH_API_KEY });
  const nowMs = Date.now();
  let events: Event[] = [];
  let sent = 0;
  const flush = async (): Promise<void> => {
    const response = await callUnary<IngestResponse__Output>((done) =>
      client.Ingest({ tenantId: BACKFILL_TENANT, events }, done)
    );
    const rejected = response.results.filter((r) => r.status !== 'EVENT_STATUS_ACCEPTED');
    if (rejected.length > 0) throw new Error(`intake refused template events: ${JSON.stringify(rejected[0])}`);
    sent += events.length;
    events = [];
  };
  try {
    for (let i = 0; i < count; i++) {
      // 1 to 8 events in the last 20 hours: some users are in the 24 h segment, some not.
      const n = 1 + Math.floor(random() * 8);
      for (let k = 0; k < n; k++) {
        const at = nowMs - Math.floor(random() * 20 * 3_600_000);
        events.push(clientEvent(random, profileId(i), at, `tpl-${i}-${k}`));
      }
      if (events.length >= 500) await flush();
    }
    if (events.length > 0) await flush();
  } finally {
    client.close();
  }
  await drained(() => storeBacklog(ctx.nc), 300_000);
  return sent;
}

/** Copies the template hashes (fields, values and TTL as written) to profiles count..total-1. */
async function copyProfiles(redisUrl: string, templates: number, total: number): Promise<number> {
  const prefix = buildPrefix(BACKFILL_TENANT, 'b1');
  const key = (i: number): string => featureKeys.entity(prefix, 'user', profileId(i));
  const reader = new Redis(redisUrl);
  const copies: { fields: Buffer[]; pttl: number }[] = [];
  for (let i = 0; i < templates; i++) {
    const [hash, pttl] = await Promise.all([reader.hgetallBuffer(key(i)), reader.pttl(key(i))]);
    const fields = Object.entries(hash).flatMap(([field, value]) => [Buffer.from(field), value]);
    if (fields.length === 0) throw new Error(`template profile ${profileId(i)} was not written`);
    copies.push({ fields, pttl });
  }
  reader.disconnect();
  const connections = [new Redis(redisUrl), new Redis(redisUrl)];
  const started = performance.now();
  let next = templates;
  const worker = async (redis: Redis): Promise<void> => {
    while (next < total) {
      const from = next;
      const to = Math.min(total, from + 1_000);
      next = to;
      const pipeline = redis.pipeline();
      for (let i = from; i < to; i++) {
        const copy = copies[i % templates]!;
        pipeline.hset(key(i), ...copy.fields);
        if (copy.pttl > 0) pipeline.pexpire(key(i), copy.pttl);
      }
      await pipeline.exec();
    }
  };
  // Two batches in flight per connection: one encoding while Redis runs the other.
  await Promise.all([...connections, ...connections].map(worker));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(connections.map((c) => c.quit()));
  return seconds;
}

/** The limit: SCAN over the same keys and one HMGET of the condition's fields per key, pipelined per batch. */
async function rawScan(redisUrl: string, fields: string[]): Promise<{ profiles: number; seconds: number }> {
  const redis = new Redis(redisUrl);
  const pattern = `${buildPrefix(BACKFILL_TENANT, 'b1')}*}:e:u:*`;
  const inFlight: Promise<unknown>[] = [];
  let profiles = 0;
  let cursor = '0';
  const started = performance.now();
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) {
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hmgetBuffer(key, ...fields);
      inFlight.push(pipeline.exec());
      profiles += keys.length;
    }
    if (inFlight.length >= 4) await inFlight.shift();
  } while (cursor !== '0');
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  redis.disconnect();
  return { profiles, seconds };
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
}

async function backfillPart(ctx: Context, profiles: number): Promise<Record<string, unknown>> {
  const templates = Math.min(profiles, TEMPLATE_PROFILES);
  const redis = new Redis(ctx.redis.url);
  try {
    const memoryBefore = await usedMemory(redis);
    const freeBefore = freemem();
    log(`backfill: ${templates} template profiles through intake and the feature store`);
    const templateEvents = await makeTemplates(ctx, templates);
    log(`backfill: copying them to ${profiles} profiles`);
    const copySeconds = await copyProfiles(ctx.redis.url, templates, profiles);
    const memoryAfter = await usedMemory(redis);
    const freeAfter = freemem();
    const keys = await redis.dbsize();
    log(
      `backfill: ${profiles} profiles in ${copySeconds.toFixed(1)} s, Redis +${((memoryAfter - memoryBefore) / 2 ** 20).toFixed(0)} MiB, ` +
        `${(freeAfter / 2 ** 20).toFixed(0)} MiB free`
    );

    const fields = parseSegment(BACKFILL_SEGMENT).condition.profileFeatures.slice();
    log('backfill: limit (SCAN + HMGET)');
    const limitRuns = [await rawScan(ctx.redis.url, fields)];

    log(`backfill: ours (PutSegment ${BACKFILL_SEGMENT.id})`);
    const port = ctx.store.metricsPort;
    const metric = 'feature_store_segment_backfill_profiles_total';
    const [countBefore, joinedBefore] = await Promise.all([
      counter(port, metric),
      counter(port, 'feature_store_segment_changes_total', 'joined'),
    ]);
    const cpu = cpuReader({
      'feature-store': ctx.store.pid,
      'nats-server': ctx.nats.pid,
      'redis-server': ctx.redis.pids,
    });
    const cpuStart = cpu();
    const client = apiClients.featureStore(ctx.store.address, { defaultDeadlineMs: 30_000, apiKey: BENCH_API_KEY });
    const started = performance.now();
    try {
      await callUnary((done) =>
        client.PutSegment({ tenantId: BACKFILL_TENANT, segmentJson: JSON.stringify(BACKFILL_SEGMENT) }, done)
      );
    } finally {
      client.close();
    }
    let evaluated = 0;
    let lastLog = started;
    const timeoutMs = 3_600_000;
    while ((evaluated = (await counter(port, metric)) - countBefore) < profiles) {
      if (performance.now() - started > timeoutMs)
        throw new Error(`backfill evaluated ${evaluated}/${profiles} in 1 h`);
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        const rate = evaluated / ((lastLog - started) / 1000);
        log(`backfill: ${evaluated}/${profiles} profiles (${Math.round(rate)}/s)`);
      }
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuEnd = cpu();
    const joined = (await counter(port, 'feature_store_segment_changes_total', 'joined')) - joinedBefore;
    const members = await new SegmentMemberships(redis).size(BACKFILL_TENANT, BACKFILL_SEGMENT.id);

    log('backfill: limit again');
    limitRuns.push(await rawScan(ctx.redis.url, fields));
    const limitRates = limitRuns.map((r) => r.profiles / r.seconds);
    const ours = profiles / seconds;
    const limit = Math.max(...limitRates);
    return {
      profiles,
      templateProfiles: templates,
      templateEvents,
      copySeconds: round(copySeconds, 1),
      redisKeys: keys,
      redisUsedMemoryMiB: round((memoryAfter - memoryBefore) / 2 ** 20, 0),
      redisBytesPerProfile: Math.round((memoryAfter - memoryBefore) / profiles),
      hostFreeMiBBeforeAfter: [Math.round(freeBefore / 2 ** 20), Math.round(freeAfter / 2 ** 20)],
      segment: BACKFILL_SEGMENT,
      fieldsRead: fields,
      oursSeconds: round(seconds, 1),
      oursProfilesPerSecond: Math.round(ours),
      members,
      joinedChangesPublished: joined,
      cpuMsPer1kProfilesByProcess: per1k(cpuStart, cpuEnd, profiles),
      limitProfilesPerSecond: Math.round(limit),
      limitRuns: limitRuns.map((r, i) => ({
        ...r,
        seconds: round(r.seconds),
        profilesPerSecond: Math.round(limitRates[i]!),
      })),
      ratio: round(ours / limit, 3),
    };
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------------------

/**
 * `segments`: event → membership change latency at 5,000 events/s with 50 segments, and the backfill rate of a
 * new segment over 1,000,000 profiles, each against its limit in the same run (see the top of this file).
 * RESULT: backfill profiles/s; the latency's own RESULT line comes before it.
 */
export async function segmentsSuite(options: SuiteOptions): Promise<SuiteResult> {
  const seconds = options.seconds ?? 10;
  const rates = (process.env['BENCH_EVENT_RATES'] ?? '5000,500').split(',').map(Number);
  if (!rates.every((r) => Number.isInteger(r) && r >= BATCH))
    throw new Error(`BENCH_EVENT_RATES must be integers of at least ${BATCH}`);
  const profiles = positiveInt('BENCH_PROFILES', 1_000_000);
  const parts = new Set((process.env['BENCH_PARTS'] ?? 'latency,backfill').split(','));
  // BENCH_REDIS_CLUSTER=3: the features on a Redis Cluster of 3 primaries (the latency part only).
  const clusterNodes = Number(process.env['BENCH_REDIS_CLUSTER'] ?? 0);
  if (clusterNodes > 0 && parts.has('backfill')) throw new Error('BENCH_REDIS_CLUSTER runs BENCH_PARTS=latency only');
  const [nats, redisServers] = await Promise.all([
    startNatsServer(),
    clusterNodes > 0 ? startRedisCluster(clusterNodes, 0) : startRedisServer(),
  ]);
  const redis = {
    url: redisServers.url,
    pids: ('nodes' in redisServers ? redisServers.nodes : [redisServers]).flatMap((node) => node.pid ?? []),
    stop: () => redisServers.stop(),
  };
  const services: ServiceProcess[] = [];
  const nc = await connect({ servers: nats.url });
  try {
    for (const tenant of [LATENCY_TENANT, BACKFILL_TENANT])
      await createTenant(nc, tenant, { eventsPerSecond: 10_000_000 });
    await storeBenchKey(nc);
    await ensureStream(nc, eventsStream(1));
    const start = async (
      name: 'event-intake' | 'feature-store',
      env: Record<string, string>
    ): Promise<ServiceProcess> => {
      const service = await startServiceProcess({
        name,
        repoRoot: REPO_ROOT,
        env: { NATS_URL: nats.url, REDIS_URL: redis.url, LOG_LEVEL: 'warn', HTTP_PORT: '0', ...env },
      });
      services.push(service);
      return service;
    };
    const intake = await start('event-intake', { IDENTITY_HMAC_KEYS: `bench:${randomBytes(32).toString('base64')}` });
    // No periodic refresh: its backfills would run in the middle of the measurements.
    const store = await start('feature-store', { SEGMENT_REFRESH_SECONDS: '0' });
    const ctx: Context = { nc, jsm: await jetstreamManager(nc), nats, redis, intake, store, seconds };
    const details: Record<string, unknown> = {
      parallelCpuCapacityAtStart: await parallelCapacity(),
      seconds,
      rates,
      hostFreeMiBAtStart: Math.round(freemem() / 2 ** 20),
    };

    if (parts.has('latency')) {
      const latency = await latencyPart(ctx, rates);
      details['latency'] = latency;
      const ours = (latency['ours'] as Record<string, unknown>[])[0]!;
      process.stdout.write(
        `RESULT segments-latency p50=${String(latency['oursP50Ms'])} p99=${String(latency['oursP99Ms'])} ` +
          `limitP99=${String(latency['limitP99Ms'])} at=${String(ours['acceptedPerSecond'])}/s of ${rates[0]}/s ` +
          `applied=${String(ours['storeAppliedPerSecondDuringLoad'])}/s sustained=${ours['sustained'] ? 'yes' : 'no'} ` +
          `changes=${String(ours['changes'])} unit=ms\n`
      );
    }
    let headline = { ours: 0, limit: 0 };
    if (parts.has('backfill')) {
      const backfill = await backfillPart(ctx, profiles);
      details['backfill'] = backfill;
      headline = {
        ours: backfill['oursProfilesPerSecond'] as number,
        limit: backfill['limitProfilesPerSecond'] as number,
      };
    }
    details['parallelCpuCapacityAtEnd'] = await parallelCapacity();
    details['notes'] =
      'latency: open-loop Ingest batches of 50 to event-intake (a separate generator process), 50 segments on the ' +
      'default user features of tenant "seg"; latency = a change message arriving at an ordered consumer of ' +
      'SEGMENT_CHANGES (segments.v1.seg.>) minus the due send time of the event that caused it (its id, in the ' +
      'change’s Nats-Msg-Id), over every change caused by an event due in the measured period, including the ' +
      'drain after it. When the store applies fewer events per second than are sent, the backlog grows and the ' +
      'latency with it: see storeAppliedPerSecondDuringLoad, storeBacklogAtEnd and drainEventsPerSecond. ' +
      'limit (as the features suite’s freshness limit): the same events in stored form published on the same ' +
      'schedule straight to a file stream, a bare pull consumer writing one Redis hash field and publishing one ' +
      'change per event to a second file stream, the same subscriber (no intake hop, one change per event). ' +
      'backfill: a new segment (PutSegment) on tenant "bf" with only that segment; profiles/s from the call ' +
      'to feature_store_segment_backfill_profiles_total counting every profile (the final pass over members ' +
      'whose profile is gone is not timed; there are none). Profiles: 2,000 made by the real path (intake → ' +
      'feature store, 1-8 events each in the last 20 h), copied hash for hash with their TTL to the rest. ' +
      'limit: SCAN (same MATCH, COUNT 1000) + one pipelined HMGET of the condition’s fields per key from one ' +
      'Node process, 4 batches in flight; the faster of a run before and one after ours. Everything shares 2 vCPUs.';
    return {
      suite: 'segments',
      unit: parts.has('backfill') ? 'profiles/s' : 'none',
      ours: headline.ours,
      limit: headline.limit,
      details,
    };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await nc.close().catch(() => undefined);
    await Promise.all([nats.stop(), redis.stop()]);
  }
}

if (require.main === module) {
  const [role, ...args] = process.argv.slice(2);
  serveGenerator(() =>
    role === 'paced' ? paced(JSON.parse(args[0] ?? '{}') as PacedSpec) : relay(args[0]!, args[1]!)
  );
}
