/**
 * A load generator run as its own process (so its CPU is not charged to the server, and the same generator
 * drives our path and the limit), for a warm-up and then a measured period. Closed loop by default:
 * `concurrency` loops, each sending the next call when the previous one answers. Open loop with
 * `ratePerSecond`: calls leave on a fixed schedule whatever the answers (see openLoop).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';

import { apiKeyInterceptor } from '@dmp/grpc';
import * as protoLoader from '@grpc/proto-loader';

import { apiClients, loadProtos } from '@dmp/grpc';

import { runGenerator, serveGenerator, type Phase } from './generator-process';
import { BENCH_API_KEY } from './bench-key';

export interface LoadSpec {
  target: string;
  kind: 'recommend' | 'decide' | 'echo' | 'score';
  /** Closed loop: the calls in flight. Open loop: the most calls in flight (a safety cap, see openLoop). */
  concurrency: number;
  /**
   * Set: open loop at this many calls per second (warm-up included); unset: closed loop. Open loop measures
   * latency at a given load; closed loop measures the most the server answers.
   */
  ratePerSecond?: number;
  warmupSeconds: number;
  seconds: number;
  /** recommend: the tenant and users to ask for (round robin) and n. */
  tenantId?: string;
  userIds?: string[];
  n?: number;
  /** decide: the placement asked for (users and tenant as for recommend). */
  placement?: string;
  /** echo: the response size to ask for. */
  responseBytes?: number;
  /** score: the model, its columns and the rows of one call (ScoreRequests cycle through `batches`). */
  modelName?: string;
  featureNames?: string[];
  batches?: number[][][];
}

export interface LoadResult {
  calls: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Mean size of a serialized response, bytes. */
  responseBytes: number;
  /** Set by the caller: server CPU seconds per call during the measured period. */
  serverCpuMsPerCall?: number;
  /** Open loop only: the rate asked for (`rps` is the rate answered). */
  targetRps?: number;
  /**
   * Open loop only: calls of the measured period not sent because `concurrency` calls were in flight when
   * they were due. Their latency is unknown, so the percentiles are those of the server at this rate only
   * while this is 0; above it they flatter the server.
   */
  dropped?: number;
  /**
   * Open loop only: p99 of the delay between a call's scheduled time and its send, the generator's own
   * share of the latencies (timer granularity and its event loop).
   */
  sendLagP99Ms?: number;
}

type Call = () => Promise<number>;

function echoCall(spec: LoadSpec): Call {
  const definition = protoLoader.loadSync('echo.proto', { includeDirs: [join(__dirname, '..', 'proto')] });
  const Echo = (
    grpc.loadPackageDefinition(definition) as unknown as {
      dmp: {
        bench: {
          v1: { EchoService: new (a: string, c: grpc.ChannelCredentials, o?: grpc.ClientOptions) => grpc.Client };
        };
      };
    }
  ).dmp.bench.v1.EchoService;
  // The key goes with every echo too (the bare one ignores it), so the two echoes differ only in checking it.
  const client = new Echo(spec.target, grpc.credentials.createInsecure(), {
    interceptors: [apiKeyInterceptor(BENCH_API_KEY)],
  }) as grpc.Client & {
    Echo(r: object, o: grpc.CallOptions, cb: (e: Error | null, r?: { payload: Buffer }) => void): void;
  };
  return () =>
    new Promise((resolve, reject) =>
      client.Echo({ responseBytes: spec.responseBytes }, { deadline: Date.now() + 5_000 }, (error, response) =>
        error ? reject(error) : resolve(response!.payload.length + 3)
      )
    );
}

function recommendCall(spec: LoadSpec): Call {
  const client = apiClients.decisioning(spec.target, { defaultDeadlineMs: 5_000, apiKey: BENCH_API_KEY });
  const serialize = loadProtos().packageDefinition['dmp.decisioning.v1.DecisioningService'] as unknown as {
    Recommend: { responseSerialize: (r: unknown) => Buffer };
  };
  const users = spec.userIds ?? ['u-0001'];
  let next = 0;
  return () =>
    new Promise((resolve, reject) =>
      client.Recommend(
        { tenantId: spec.tenantId!, userId: users[next++ % users.length]!, n: spec.n ?? 20 },
        (error, response) => (error ? reject(error) : resolve(serialize.Recommend.responseSerialize(response).length))
      )
    );
}

function decideCall(spec: LoadSpec): Call {
  const client = apiClients.decisioning(spec.target, { defaultDeadlineMs: 5_000, apiKey: BENCH_API_KEY });
  const serialize = loadProtos().packageDefinition['dmp.decisioning.v1.DecisioningService'] as unknown as {
    Decide: { responseSerialize: (r: unknown) => Buffer };
  };
  const users = spec.userIds ?? ['u-0001'];
  let next = 0;
  return () =>
    new Promise((resolve, reject) =>
      client.Decide(
        { tenantId: spec.tenantId!, userId: users[next++ % users.length]!, placement: spec.placement ?? 'app-banner' },
        (error, response) => (error ? reject(error) : resolve(serialize.Decide.responseSerialize(response).length))
      )
    );
}

/** Score with requests serialized up front and responses taken as bytes: the generator stays cheap. */
function scoreCall(spec: LoadSpec): Call {
  const method = loadProtos().packageDefinition['dmp.scoring.v1.ScoringService'] as unknown as {
    Score: { path: string; requestSerialize: (r: unknown) => Buffer };
  };
  const requests = spec.batches!.map((rows, i) =>
    method.Score.requestSerialize({
      tenantId: spec.tenantId,
      modelName: spec.modelName,
      featureNames: spec.featureNames,
      subjectId: `user-${i}`,
      rows: rows.map((values) => ({ values })),
    })
  );
  const client = new grpc.Client(spec.target, grpc.credentials.createInsecure(), {
    interceptors: [apiKeyInterceptor(BENCH_API_KEY)],
  });
  let next = 0;
  return () =>
    new Promise((resolve, reject) =>
      client.makeUnaryRequest<Buffer, Buffer>(
        method.Score.path,
        (b) => b,
        (b) => b,
        requests[next++ % requests.length]!,
        { deadline: Date.now() + 5_000 },
        (error, response) => (error ? reject(error) : resolve(response!.length))
      )
    );
}

/** What a loop measured over the measured period: latencies of answered calls, ms. */
interface Measured {
  latencies: number[];
  errors: number;
  bytes: number;
}

/** `p` quantile of sorted values (0 if none). */
function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function summarize(spec: LoadSpec, { latencies, errors, bytes }: Measured): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    calls: latencies.length,
    errors,
    seconds: spec.seconds,
    rps: latencies.length / spec.seconds,
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    p99Ms: quantile(latencies, 0.99),
    responseBytes: latencies.length ? bytes / latencies.length : 0,
  };
}

/** Tells the parent when the warm-up ends, so that it reads server CPU over the measured period only. */
function signalMeasuring(afterMs: number, then?: () => void): void {
  setTimeout(() => {
    then?.();
    process.send?.('measuring');
  }, afterMs);
}

async function closedLoop(spec: LoadSpec, call: Call): Promise<Measured> {
  const measured: Measured = { latencies: [], errors: 0, bytes: 0 };
  let measuring = false;
  const start = Date.now();
  const warmEnd = start + spec.warmupSeconds * 1000;
  const end = warmEnd + spec.seconds * 1000;
  const loop = async (): Promise<void> => {
    while (Date.now() < end) {
      const t0 = process.hrtime.bigint();
      try {
        const size = await call();
        if (measuring) {
          measured.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          measured.bytes += size;
        }
      } catch {
        if (measuring) measured.errors++;
      }
    }
  };
  signalMeasuring(warmEnd - start, () => (measuring = true));
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  return measured;
}

interface SendStats {
  dropped: number;
  /** Per measured call sent: ms between its due time and its send. */
  sendLags: number[];
}

/**
 * Open loop: call i is due at start + i / rate whatever the earlier calls did, and its latency runs from
 * that due time, not from its send. A closed loop (or an open loop timing from the send) waits out a slow
 * answer before the next call and so never sees the calls that would have queued behind it (coordinated
 * omission); here they count. A call due while `concurrency` calls are in flight is dropped, not queued:
 * queued calls would turn the run back into a closed loop at the cap; `dropped` says how far the server
 * fell behind instead.
 *
 * A 1 ms timer sends every call due since its last tick, so the generator sleeps between ticks (a
 * setImmediate spin would take a core from the servers it measures) at the price of up to about a tick of
 * added latency on both paths alike, reported as sendLagP99Ms.
 */
async function openLoop(spec: LoadSpec, call: Call, ratePerSecond: number): Promise<Measured & SendStats> {
  const measured: Measured & SendStats = { latencies: [], errors: 0, bytes: 0, dropped: 0, sendLags: [] };
  const msPerCall = 1000 / ratePerSecond;
  const warmupCalls = Math.round(spec.warmupSeconds * ratePerSecond);
  const totalCalls = warmupCalls + Math.round(spec.seconds * ratePerSecond);
  const start = performance.now();
  let next = 0;
  let inFlight = 0;
  let allSent!: () => void;
  const finished = new Promise<void>((resolve) => (allSent = resolve));
  const settle = (): void => {
    inFlight--;
    if (next === totalCalls && inFlight === 0) allSent();
  };
  const send = (i: number, due: number): void => {
    const measuring = i >= warmupCalls;
    if (inFlight >= spec.concurrency) {
      if (measuring) measured.dropped++;
      return;
    }
    inFlight++;
    if (measuring) measured.sendLags.push(performance.now() - due);
    call().then(
      (size) => {
        if (measuring) {
          measured.latencies.push(performance.now() - due);
          measured.bytes += size;
        }
        settle();
      },
      () => {
        if (measuring) measured.errors++;
        settle();
      }
    );
  };
  const tick = (): void => {
    const now = performance.now();
    // Calls 0..dueNow-1 are due by now (call i at start + i * msPerCall).
    const dueNow = Math.min(totalCalls, Math.floor((now - start) / msPerCall) + 1);
    for (; next < dueNow; next++) send(next, start + next * msPerCall);
    if (next < totalCalls) setTimeout(tick, 1);
    else if (inFlight === 0) allSent();
  };
  signalMeasuring(warmupCalls * msPerCall);
  tick();
  await finished;
  return measured;
}

async function generate(spec: LoadSpec): Promise<LoadResult> {
  const calls = { echo: echoCall, score: scoreCall, recommend: recommendCall, decide: decideCall };
  const call = calls[spec.kind](spec);
  if (spec.ratePerSecond === undefined) return summarize(spec, await closedLoop(spec, call));
  if (!(spec.ratePerSecond > 0)) throw new Error(`ratePerSecond must be > 0, got ${spec.ratePerSecond}`);
  const measured = await openLoop(spec, call, spec.ratePerSecond);
  measured.sendLags.sort((a, b) => a - b);
  return {
    ...summarize(spec, measured),
    targetRps: spec.ratePerSecond,
    dropped: measured.dropped,
    sendLagP99Ms: quantile(measured.sendLags, 0.99),
  };
}

/** Runs the generator in a child process (see runGenerator). */
export function runLoad(spec: LoadSpec, onPhase: (phase: Phase) => void): Promise<LoadResult> {
  // A big spec (rows to score) exceeds the command line's limit: it goes through a file.
  const dir = mkdtempSync(join(tmpdir(), 'dmp-load-'));
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  return runGenerator<LoadResult>('load generator', __filename, [join(dir, 'spec.json')], onPhase).finally(() =>
    rmSync(dir, { recursive: true, force: true })
  );
}

if (require.main === module) {
  serveGenerator(async () => {
    const result = await generate(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec);
    process.send?.('done');
    return result;
  });
}
