/**
 * Load generators for the intake suite, each run as its own process (so its CPU is not charged to the
 * servers), for a warm-up and then a measured period:
 *
 * - `ingest`: Ingest calls to event-intake, `batchesInFlight` batches of `batchSize` events in flight,
 *   each loop sending its next batch when the previous one answers. Counts accepted events whose answer
 *   arrives within the measured period.
 * - `publish`: the limit: the same events in the form intake stores them, published straight to the
 *   EVENTS stream with the JetStream client (one message per event, its own Nats-Msg-Id, a traceparent
 *   header like intake's), `window` publishes in flight. Counts acknowledgements that arrive within the
 *   measured period.
 */
import { randomBytes } from 'node:crypto';

import * as grpc from '@grpc/grpc-js';

import { apiKeyInterceptor } from '@dmp/grpc';
import { jetstream } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';

import { JetStreamPublisher } from '@dmp/messaging';

import { runGenerator, serveGenerator, type Phase } from './generator-process';
import {
  countResults,
  DEFAULT_POOL,
  eventPool,
  EventIds,
  ingestRequest,
  storedMessage,
  type IngestCounts,
} from './intake-events';
import { BENCH_API_KEY } from './bench-key';

export interface IntakeLoadSpec {
  kind: 'ingest' | 'publish';
  /** publish: with intake's own publisher ('lean') or nats.js's js.publish ('stock'). */
  publisher?: 'lean' | 'stock';
  tenantId: string;
  warmupSeconds: number;
  seconds: number;
  /** ingest: intake's gRPC address, batch size and batches in flight. */
  target?: string;
  batchSize?: number;
  batchesInFlight?: number;
  /** publish: the NATS server and the publishes in flight. */
  natsUrl?: string;
  window?: number;
}

export interface IntakeLoadResult {
  seconds: number;
  /** Events accepted (ingest) or acknowledged as stored (publish) within the measured period. */
  events: number;
  eventsPerSecond: number;
  /** Calls (ingest: batches; publish: messages) answered within the measured period. */
  calls: number;
  /** Latency of a call answered within the measured period: per batch for ingest, per message for publish. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Over the whole run (warm-up, measured period and the calls still in flight at its end). */
  total: IngestCounts & { errors: number; firstError?: string };
  /** Mean bytes per event sent: event encoding as sent (ingest) or as stored (publish). */
  bytesPerEvent: number;
  /** CPU the generator itself used during the measured period, ms per 1,000 events. */
  generatorCpuMsPer1k: number;
}

const INGEST_PATH = '/dmp.intake.v1.IntakeService/Ingest';

interface Recorder {
  latencies: number[];
  events: number;
  bytes: number;
  sent: number;
  measuring: boolean;
}

type Loop = (recorder: Recorder, until: number) => Promise<IntakeLoadResult['total']>;

function ingestLoop(spec: IntakeLoadSpec): Loop {
  const pool = eventPool({ ...DEFAULT_POOL, tenantId: spec.tenantId });
  const ids = new EventIds();
  const client = new grpc.Client(spec.target!, grpc.credentials.createInsecure(), {
    interceptors: [apiKeyInterceptor(BENCH_API_KEY)],
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const size = spec.batchSize ?? 1000;
  return async (recorder, until) => {
    const total: IntakeLoadResult['total'] = { accepted: 0, duplicate: 0, rejected: 0, errors: 0 };
    let next = 0;
    const call = (request: Buffer): Promise<Buffer> =>
      new Promise((resolve, reject) =>
        client.makeUnaryRequest<Buffer, Buffer>(
          INGEST_PATH,
          (b) => b,
          (b) => b,
          request,
          { deadline: Date.now() + 30_000 },
          (error, response) => (error ? reject(error) : resolve(response!))
        )
      );
    const loop = async (): Promise<void> => {
      while (Date.now() < until) {
        const request = ingestRequest(spec.tenantId, pool, next, size, ids);
        next = (next + size) % pool.length;
        const t0 = performance.now();
        try {
          const response = await call(request);
          const counts: IngestCounts = { accepted: 0, duplicate: 0, rejected: 0 };
          countResults(response, counts);
          total.accepted += counts.accepted;
          total.duplicate += counts.duplicate;
          total.rejected += counts.rejected;
          total.firstProblem ??= counts.firstProblem;
          if (recorder.measuring) {
            recorder.latencies.push(performance.now() - t0);
            recorder.events += counts.accepted;
            recorder.bytes += request.length;
            recorder.sent += size;
          }
        } catch (error) {
          total.errors++;
          total.firstError ??= (error as Error).message;
          // Do not spin on a dead server.
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    await Promise.all(Array.from({ length: spec.batchesInFlight ?? 8 }, loop));
    client.close();
    return total;
  };
}

function publishLoop(spec: IntakeLoadSpec): Loop {
  const pool = eventPool({ ...DEFAULT_POOL, tenantId: spec.tenantId });
  const ids = new EventIds();
  return async (recorder, until) => {
    // noAsyncTraces: no Error (stack capture) allocated per request just in case it times out.
    const nc = await connect({ servers: spec.natsUrl!, noAsyncTraces: true });
    const js = jetstream(nc);
    // 'lean': the one-subscription async publisher intake itself uses; 'stock': nats.js's js.publish.
    const lean = new JetStreamPublisher(nc, 5_000);
    const publish = (
      message: { subject: string; data: Uint8Array; msgID: string },
      traceparent: string
    ): Promise<{ duplicate: boolean }> => {
      if (spec.publisher === 'lean') return lean.publish(message.subject, message.data, message.msgID, { traceparent });
      const h = headers();
      h.set('traceparent', traceparent);
      return js.publish(message.subject, message.data, { msgID: message.msgID, headers: h });
    };
    const total: IntakeLoadResult['total'] = { accepted: 0, duplicate: 0, rejected: 0, errors: 0 };
    let next = 0;
    // Intake's messages carry the RPC span's W3C traceparent; one per 1,000 messages, like a batch.
    let traceparent = '';
    await new Promise<void>((done) => {
      let inFlight = 0;
      const fire = (): void => {
        if (Date.now() >= until) {
          if (inFlight === 0) done();
          return;
        }
        if (next % 1000 === 0) {
          traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
        }
        const message = storedMessage(spec.tenantId, pool[next++ % pool.length]!, ids);
        const t0 = performance.now();
        inFlight++;
        publish(message, traceparent).then(
          (ack) => {
            if (ack.duplicate) total.duplicate++;
            else total.accepted++;
            if (recorder.measuring && !ack.duplicate) {
              recorder.latencies.push(performance.now() - t0);
              recorder.events++;
              recorder.bytes += message.data.length;
              recorder.sent++;
            }
            inFlight--;
            fire();
          },
          (error: unknown) => {
            total.errors++;
            total.firstError ??= (error as Error).message;
            inFlight--;
            fire();
          }
        );
      };
      for (let i = 0; i < (spec.window ?? 2000); i++) fire();
    });
    lean.close();
    await nc.close();
    return total;
  };
}

async function generate(spec: IntakeLoadSpec): Promise<IntakeLoadResult> {
  const loop = spec.kind === 'ingest' ? ingestLoop(spec) : publishLoop(spec);
  const recorder: Recorder = { latencies: [], events: 0, bytes: 0, sent: 0, measuring: false };
  const start = Date.now();
  const warmEnd = start + spec.warmupSeconds * 1000;
  const end = warmEnd + spec.seconds * 1000;
  let cpuAtStart = process.cpuUsage();
  let cpuUsed = 0;
  // Timers fire late on a busy event loop: rates use the period actually measured.
  let measuredFrom = 0;
  let measuredSeconds = spec.seconds;
  const startTimer = setTimeout(() => {
    recorder.measuring = true;
    measuredFrom = performance.now();
    cpuAtStart = process.cpuUsage();
    process.send?.('measuring');
  }, warmEnd - start);
  let sent: Promise<void> = Promise.resolve();
  const stop = (): void => {
    if (!recorder.measuring) return;
    recorder.measuring = false;
    measuredSeconds = (performance.now() - measuredFrom) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    cpuUsed = (cpu.user + cpu.system) / 1000;
    sent = new Promise((resolve) => (process.send ? process.send('done', () => resolve()) : resolve()));
  };
  const endTimer = setTimeout(stop, end - start);
  const total = await loop(recorder, end);
  // The loop may drain before the end timer gets its turn; the parent must hear 'done' before we exit.
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  stop();
  await sent;
  const latencies = recorder.latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    seconds: measuredSeconds,
    events: recorder.events,
    eventsPerSecond: recorder.events / measuredSeconds,
    calls: latencies.length,
    p50Ms: q(0.5),
    p90Ms: q(0.9),
    p99Ms: q(0.99),
    total,
    bytesPerEvent: recorder.sent ? recorder.bytes / recorder.sent : 0,
    generatorCpuMsPer1k: recorder.events ? (cpuUsed * 1000) / recorder.events : 0,
  };
}

/** Runs the generator in a child process (see runGenerator). */
export function runIntakeLoad(spec: IntakeLoadSpec, onPhase: (phase: Phase) => void): Promise<IntakeLoadResult> {
  return runGenerator<IntakeLoadResult>('load generator', __filename, [JSON.stringify(spec)], onPhase);
}

if (require.main === module) serveGenerator(() => generate(JSON.parse(process.argv[2] ?? '{}') as IntakeLoadSpec));
