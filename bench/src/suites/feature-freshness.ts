/**
 * Freshness of features under sustained load, for the `features` suite: accepted event → its features
 * visible in Redis. Three child-process roles and the probes the suite runs in its own process:
 *
 * - `ingest`: our path's load: open-loop, paced Ingest calls to event-intake (`batch` events every
 *   `intervalMs`, sent on schedule whether or not earlier calls have answered), realistic events.
 * - `publish`: the limit's load: the same events in the form intake stores them, published on schedule
 *   straight to a JetStream stream with intake's own async publisher.
 * - `consume`: the limit's consumer: a bare pull consumer (`consume()`) writing one hash field per
 *   message to Redis (ioredis, auto-pipelined) and acking it: nothing decoded, nothing computed.
 *
 * Probes (20/s by default): an event for an item never seen before; latency = the moment a Redis read
 * (polled every millisecond, or every 2% of the probe's age when that is longer) first finds its feature,
 * minus the moment the event was acknowledged as accepted (the Ingest RPC answered, or the PubAck arrived).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';

import { AckPolicy, DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import * as grpc from '@grpc/grpc-js';

import { apiKeyInterceptor } from '@dmp/grpc';
import { Redis } from 'ioredis';

import { JetStreamPublisher } from '@dmp/messaging';

import { runGenerator, serveGenerator, type Phase } from '../generator-process';
import {
  countResults,
  EVENT_ID_LENGTH,
  EventIds,
  ingestRequest,
  pooledEvent,
  type PooledEvent,
} from '../intake-events';
import { TENANT, toClientEvent, WorkloadEvents, type Workload } from './feature-workload';
import { BENCH_API_KEY } from '../bench-key';

export const FRESH_STREAM = 'BENCH_FRESH';
export const FRESH_SUBJECT = 'benchfresh';
export const FRESH_DURABLE = 'bench-fresh';

export interface PacedSpec {
  kind: 'ingest' | 'publish';
  workload: Workload;
  /** Events per second, and events per send (every batch / rate seconds). */
  rate: number;
  batch: number;
  warmupSeconds: number;
  seconds: number;
  /** ingest: intake's gRPC address; publish: NATS. */
  target?: string;
  natsUrl?: string;
}

export interface PacedResult {
  kind: PacedSpec['kind'];
  seconds: number;
  /** Events sent and acknowledged (accepted / stored) within the measured period. */
  sent: number;
  accepted: number;
  acceptedPerSecond: number;
  errors: number;
  firstError?: string;
  /** Sends the generator skipped because it was too far behind schedule (0 when it kept up). */
  skipped: number;
  /** Call latency (ingest: per batch; publish: per message), ms. */
  p50Ms: number;
  p99Ms: number;
  maxInFlight: number;
  generatorCpuMsPer1k: number;
}

const INGEST_PATH = '/dmp.intake.v1.IntakeService/Ingest';
const PLACEHOLDER = 'Z'.repeat(EVENT_ID_LENGTH);
/** A sender more than this far behind drops sends rather than bursting them (open loop, bounded). */
const MAX_LAG_MS = 1_000;

/** Realistic events (the workload's mix, times now), encoded once with an id placeholder. */
export function freshPool(w: Workload, size: number, seed: number): PooledEvent[] {
  const nowMs = Date.now();
  const events = new WorkloadEvents(w, nowMs, seed);
  return Array.from({ length: size }, () => {
    const event = toClientEvent({ ...events.next(nowMs), eventId: PLACEHOLDER });
    return pooledEvent(event, TENANT, nowMs, PLACEHOLDER, `${FRESH_SUBJECT}.load`);
  });
}

interface Sender {
  /** Sends `size` events; resolves with how many were accepted. */
  send(from: number, size: number): Promise<number>;
  close(): Promise<void>;
}

function ingestSender(spec: PacedSpec, pool: PooledEvent[]): Sender {
  const ids = new EventIds();
  const client = new grpc.Client(spec.target!, grpc.credentials.createInsecure(), {
    interceptors: [apiKeyInterceptor(BENCH_API_KEY)],
  });
  return {
    send: (from, size) =>
      new Promise((resolve, reject) =>
        client.makeUnaryRequest<Buffer, Buffer>(
          INGEST_PATH,
          (b) => b,
          (b) => b,
          ingestRequest(TENANT, pool, from, size, ids),
          { deadline: Date.now() + 30_000 },
          (error, response) => (error ? reject(error) : resolve(countAccepted(response!)))
        )
      ),
    close: () => Promise.resolve(client.close()),
  };
}

/** Accepted results in an IngestResponse. */
function countAccepted(bytes: Buffer): number {
  const counts = { accepted: 0, duplicate: 0, rejected: 0 };
  countResults(bytes, counts);
  return counts.accepted;
}

async function publishSender(spec: PacedSpec, pool: PooledEvent[]): Promise<Sender> {
  const ids = new EventIds();
  const nc = await connect({ servers: spec.natsUrl!, noAsyncTraces: true });
  const publisher = new JetStreamPublisher(nc, 5_000);
  let traceparent = '';
  let n = 0;
  return {
    send: async (from, size) => {
      const acks: Promise<unknown>[] = [];
      for (let i = 0; i < size; i++) {
        // Intake's messages carry the RPC span's traceparent; one per batch.
        if (n++ % spec.batch === 0)
          traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
        const event = pool[(from + i) % pool.length]!;
        const data = Buffer.from(event.stored);
        const id = ids.write(data, event.storedIdAt);
        acks.push(publisher.publish(event.subject, data, `${TENANT}:${id}`, { traceparent }));
      }
      await Promise.all(acks);
      return size;
    },
    close: async () => {
      publisher.close();
      await nc.close();
    },
  };
}

async function paced(spec: PacedSpec): Promise<PacedResult> {
  const pool = freshPool(spec.workload, 8192, spec.workload.seed + 2000);
  const sender = spec.kind === 'ingest' ? ingestSender(spec, pool) : await publishSender(spec, pool);
  const intervalMs = (spec.batch * 1000) / spec.rate;
  const latencies: number[] = [];
  let sent = 0;
  let accepted = 0;
  let errors = 0;
  let firstError: string | undefined;
  let skipped = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let measuring = false;
  let measuredFrom = 0;
  let measuredSeconds = spec.seconds;
  let cpuAtStart = process.cpuUsage();
  let cpuMs = 0;
  let next = 0;
  const startedAt = performance.now();
  const warmEnd = startedAt + spec.warmupSeconds * 1000;
  const end = warmEnd + spec.seconds * 1000;
  const pending = new Set<Promise<void>>();

  const fire = (): void => {
    const counted = measuring;
    const t0 = performance.now();
    const from = next;
    next = (next + spec.batch) % pool.length;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (counted) sent += spec.batch;
    const task = sender.send(from, spec.batch).then(
      (n) => {
        inFlight--;
        if (counted) {
          accepted += n;
          latencies.push(performance.now() - t0);
        }
      },
      (error: unknown) => {
        inFlight--;
        if (counted) errors++;
        firstError ??= (error as Error).message;
      }
    );
    pending.add(task);
    void task.finally(() => pending.delete(task));
  };

  await new Promise<void>((done) => {
    let due = startedAt;
    const tick = (): void => {
      const now = performance.now();
      if (!measuring && now >= warmEnd && now < end) {
        measuring = true;
        measuredFrom = now;
        cpuAtStart = process.cpuUsage();
        process.send?.('measuring');
      }
      if (now >= end) {
        measuredSeconds = (now - measuredFrom) / 1000;
        const cpu = process.cpuUsage(cpuAtStart);
        cpuMs = (cpu.user + cpu.system) / 1000;
        measuring = false;
        if (process.send) process.send('done', () => done());
        else done();
        return;
      }
      // Open loop: every send that is due goes out now; far behind, the oldest are skipped.
      while (due <= now) {
        if (now - due > MAX_LAG_MS) {
          skipped += spec.batch;
        } else fire();
        due += intervalMs;
      }
      setTimeout(tick, Math.max(0, due - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  await sender.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    kind: spec.kind,
    seconds: measuredSeconds,
    sent,
    accepted,
    acceptedPerSecond: accepted / measuredSeconds,
    errors,
    ...(firstError !== undefined && { firstError }),
    skipped,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxInFlight,
    generatorCpuMsPer1k: accepted ? (cpuMs * 1000) / accepted : 0,
  };
}

/** Runs the paced generator in a child process (see runGenerator). */
export function runPaced(spec: PacedSpec, onPhase: (phase: Phase) => void): Promise<PacedResult> {
  return runGenerator<PacedResult>('paced generator', __filename, ['paced', JSON.stringify(spec)], onPhase);
}

/** The limit's consumer: pulls BENCH_FRESH, writes one hash field per message, acks. */
async function consume(natsUrl: string, redisUrl: string): Promise<void> {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const redis = new Redis(redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
  const consumer = await jetstream(nc).consumers.get(FRESH_STREAM, FRESH_DURABLE);
  const messages = await consumer.consume({ max_messages: 1_000 });
  process.send?.('ready');
  process.once('SIGTERM', () => {
    void messages.close();
  });
  for await (const message of messages) {
    redis.hset(`fresh:${message.subject}`, 'seq', message.seq).then(
      () => message.ack(),
      () => message.nak()
    );
  }
  await redis.quit();
  await nc.close();
}

/** The raw consumer of BENCH_FRESH, as a child process; ready when it resolves. */
export async function startRawConsumer(natsUrl: string, redisUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [__filename, 'consume', natsUrl, redisUrl], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`raw consumer exited with ${code}`)));
  });
  return child;
}

/** The spec of the raw consumer's durable (as the feature store's, on BENCH_FRESH). */
export const FRESH_CONSUMER = {
  durable_name: FRESH_DURABLE,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.All,
  filter_subject: `${FRESH_SUBJECT}.>`,
  max_ack_pending: 20_000,
};

export interface ProbeResult {
  probes: number;
  /** Probes never seen within the timeout. */
  lost: number;
  /** Probes whose feature was already visible when the acknowledgement arrived. */
  visibleBeforeAck: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Acknowledgement latency of the probe's own send, ms. */
  ackP50Ms: number;
  ackP99Ms: number;
}

/**
 * Sends a probe every 1/`perSecond` s until `stop()`, each one `send(n)` (resolves when acknowledged)
 * then polled with `visible(n)` from the moment it was sent (every ~1 ms, or 2% of its age when longer);
 * `stop()` resolves when every probe is seen or has waited `timeoutMs`.
 */
export function probes(
  perSecond: number,
  send: (n: number) => Promise<void>,
  visible: (n: number) => Promise<boolean>,
  timeoutMs = 60_000
): { stop: () => Promise<ProbeResult> } {
  const latencies: number[] = [];
  const acks: number[] = [];
  let lost = 0;
  let early = 0;
  let n = 0;
  const running = new Set<Promise<void>>();
  const probe = async (i: number): Promise<void> => {
    const t0 = performance.now();
    let ackedAt: number | undefined;
    let seenAt: number | undefined;
    const acked = send(i).then(() => {
      ackedAt = performance.now();
    });
    // Poll from the send on: the feature may be visible before the sender hears the acknowledgement.
    const polling = (async () => {
      while (performance.now() - t0 < timeoutMs) {
        if (await visible(i)) {
          seenAt = performance.now();
          return;
        }
        // Every ~1 ms, then every 2% of the probe's age: resolution stays within 2% of the latency, and
        // probes stuck behind a backlog do not flood Redis with reads.
        await new Promise((r) => setTimeout(r, Math.max(1, (performance.now() - t0) / 50)));
      }
    })();
    await Promise.all([acked, polling]);
    if (seenAt === undefined || ackedAt === undefined) {
      lost++;
      return;
    }
    acks.push(ackedAt - t0);
    if (seenAt <= ackedAt) early++;
    latencies.push(Math.max(0, seenAt - ackedAt));
  };
  const timer = setInterval(() => {
    const task = probe(n++).catch(() => {
      lost++;
    });
    running.add(task);
    void task.finally(() => running.delete(task));
  }, 1000 / perSecond);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(running);
      const sorted = [...latencies].sort((a, b) => a - b);
      const ackSorted = [...acks].sort((a, b) => a - b);
      const q = (list: number[], p: number): number =>
        list[Math.min(list.length - 1, Math.floor(p * list.length))] ?? 0;
      return {
        probes: n,
        lost,
        visibleBeforeAck: early,
        p50Ms: q(sorted, 0.5),
        p90Ms: q(sorted, 0.9),
        p99Ms: q(sorted, 0.99),
        maxMs: sorted[sorted.length - 1] ?? 0,
        meanMs: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0,
        ackP50Ms: q(ackSorted, 0.5),
        ackP99Ms: q(ackSorted, 0.99),
      };
    },
  };
}

/** A Prometheus histogram's cumulative buckets (le → count) and count, from a /metrics page. */
export interface HistogramSnapshot {
  buckets: [le: number, count: number][];
  count: number;
  sum: number;
}

export function readHistogram(metricsPort: number, name: string): Promise<HistogramSnapshot> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: metricsPort, path: '/metrics' }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const buckets: [number, number][] = [];
        let count = 0;
        let sum = 0;
        for (const line of text.split('\n')) {
          if (line.startsWith(`${name}_bucket{`)) {
            const le = /le="([^"]+)"/.exec(line)?.[1] ?? '+Inf';
            buckets.push([le === '+Inf' ? Infinity : Number(le), Number(line.slice(line.lastIndexOf(' ') + 1))]);
          } else if (line.startsWith(`${name}_count`)) count = Number(line.slice(line.lastIndexOf(' ') + 1));
          else if (line.startsWith(`${name}_sum`)) sum = Number(line.slice(line.lastIndexOf(' ') + 1));
        }
        resolve({ buckets, count, sum });
      });
    }).once('error', reject);
  });
}

/**
 * Quantiles of the observations between two snapshots: linear interpolation inside the bucket, as
 * Prometheus's histogram_quantile does; in ms.
 */
export function histogramDelta(
  before: HistogramSnapshot,
  after: HistogramSnapshot
): { count: number; meanMs: number; p50Ms: number; p99Ms: number; bucketsMs: Record<string, number> } {
  const buckets = after.buckets.map(([le, c], i) => [le, c - (before.buckets[i]?.[1] ?? 0)] as [number, number]);
  const count = after.count - before.count;
  const quantile = (q: number): number => {
    const rank = q * count;
    let lower = 0;
    let below = 0;
    for (const [le, cumulative] of buckets) {
      if (cumulative >= rank) {
        if (le === Infinity) return lower * 1000;
        const inBucket = cumulative - below;
        return (lower + (le - lower) * (inBucket ? (rank - below) / inBucket : 1)) * 1000;
      }
      lower = le;
      below = cumulative;
    }
    return lower * 1000;
  };
  return {
    count,
    meanMs: count ? ((after.sum - before.sum) / count) * 1000 : 0,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    bucketsMs: Object.fromEntries(buckets.map(([le, c]) => [le === Infinity ? '+Inf' : String(le * 1000), c])),
  };
}

if (require.main === module) {
  const [role, ...args] = process.argv.slice(2);
  serveGenerator(() =>
    role === 'paced' ? paced(JSON.parse(args[0] ?? '{}') as PacedSpec) : consume(args[0]!, args[1]!)
  );
}
