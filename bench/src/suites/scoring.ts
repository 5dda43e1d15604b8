/**
 * `scoring`: rows/s and latency of one model version at batch sizes 1, 100 and 500, three ways, in the
 * same run: raw onnxruntime-node (an InferenceSession and a Tensor per call: the limit), the in-process
 * scorer (LiveModels: registry-followed, A/B routing, column layout, metrics) and the Score RPC of the
 * scoring service (request from a separate generator process). The RESULT line is the in-process scorer
 * against raw ORT at its worst batch size and model.
 */
import { join, resolve } from 'node:path';

import { connect } from '@nats-io/transport-node';
import { InferenceSession, Tensor } from 'onnxruntime-node';

import { startNatsServer, startServiceProcess } from '@dmp/local-servers';
import { createTenant } from '@dmp/messaging';
import { createLogger, Readiness } from '@dmp/runtime';
import { LiveModels, ModelRegistry, readModelFiles, type ModelCard } from '@dmp/scorer';

import { runLoad, type LoadResult } from '../load';
import { cpuSeconds } from '../proc';
import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';
import { storeBenchKey } from '../bench-key';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const MODELS = ['demo-ranker', 'demo-ranker-trees'];
const BATCH_SIZES = [1, 100, 500];
/** Distinct inputs each path cycles through (the same ones for all three). */
const INPUTS = 64;
/** Short interleaved rounds: this shared host drifts by ±20 % over seconds, and drift must hit both paths alike. */
const ROUNDS = 20;

const log = (text: string): void => void process.stderr.write(`scoring: ${text}\n`);
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

interface Measured {
  calls: number;
  seconds: number;
  callsPerSecond: number;
  rowsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Calls `call` back to back for `seconds` after a short warm-up (one thread: ORT runs block it anyway). */
async function closedLoop(call: (i: number) => Promise<unknown>, rows: number, seconds: number): Promise<Measured> {
  const warmUpEnd = performance.now() + 100;
  let i = 0;
  while (performance.now() < warmUpEnd) await call(i++);
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  let t = start;
  while (t < end) {
    await call(i++);
    const now = performance.now();
    latencies.push(now - t);
    t = now;
  }
  const elapsed = (t - start) / 1000;
  return summarize(latencies, elapsed, rows);
}

function summarize(latencies: number[], seconds: number, rows: number): Measured {
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const callsPerSecond = latencies.length / seconds;
  return {
    calls: latencies.length,
    seconds,
    callsPerSecond,
    rowsPerSecond: callsPerSecond * rows,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
  };
}

/** All rounds as one run: rows/s over their total time, latency quantiles over their calls (p99: the worst round's). */
function combine(runs: Measured[], rows: number): Measured {
  const calls = runs.reduce((n, r) => n + r.calls, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const p50s = runs.map((r) => r.p50Ms).sort((a, b) => a - b);
  return {
    calls,
    seconds,
    callsPerSecond: calls / seconds,
    rowsPerSecond: (calls / seconds) * rows,
    p50Ms: p50s[Math.floor(p50s.length / 2)]!,
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
  };
}

/** Inputs drawn like ranking features: log popularity, log co-occurrence sum, shares in [0, 1]. */
function inputs(card: ModelCard, rows: number, seed: number): Float32Array[] {
  let state = seed;
  const random = (): number => (state = (state * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32;
  const width = card.input.features.length;
  return Array.from({ length: INPUTS }, () =>
    Float32Array.from({ length: rows * width }, (_, k) => (k % width < 2 ? random() * 8 : random()))
  );
}

export async function scoringSuite(options: SuiteOptions): Promise<SuiteResult> {
  const seconds = options.seconds ?? 10;
  const concurrency = options.concurrency ?? 4;
  const nats = await startNatsServer();
  const nc = await connect({ servers: nats.url });
  const readiness = new Readiness();
  let models: LiveModels | undefined;
  let scoring: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
  try {
    await createTenant(nc, 'bench');
    await storeBenchKey(nc);
    const registry = await ModelRegistry.open(nc);
    const files = MODELS.map((name) => join(REPO_ROOT, 'services', 'trainer', 'models', `${name}.onnx`));
    for (const file of files) await registry.publishFile(file, { promote: true });
    models = await LiveModels.start({
      nc,
      log: createLogger({ service: 'bench', level: 'warn' }),
      readiness,
      required: MODELS,
    });
    scoring = await startServiceProcess({
      name: 'scoring',
      repoRoot: REPO_ROOT,
      env: { NATS_URL: nats.url, LOG_LEVEL: 'warn', SCORING_REQUIRED_MODELS: MODELS.join(',') },
    });

    const cases: Record<string, unknown>[] = [];
    let worst: { ratio: number; ours: number; limit: number; at: string } | undefined;
    for (const [m, name] of MODELS.entries()) {
      const { card, bytes } = await readModelFiles(files[m]!);
      for (const name2 of MODELS) await models.waitForChampion(name2, (await registry.policy(name2))!.champion);
      const session = await InferenceSession.create(bytes, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
      const width = card.input.features.length;
      const columns = card.input.features.map((f) => f.name);
      for (const rows of BATCH_SIZES) {
        const data = inputs(card, rows, 7 + rows);
        const raw = (i: number): Promise<unknown> =>
          session.run({ [card.input.name]: new Tensor('float32', data[i % INPUTS]!, [rows, width]) });
        const inProcess = (i: number): Promise<unknown> =>
          models!.score(name, { values: data[i % INPUTS]!, columns, subject: `user-${i % 1000}`, complete: true });
        const rawRuns: Measured[] = [];
        const ourRuns: Measured[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          // Alternating which goes first: neither path always gets the warmer (or the busier) moment.
          const slice = seconds / ROUNDS;
          let rawRun: Measured;
          let ourRun: Measured;
          if (r % 2 === 0) {
            rawRun = await closedLoop(raw, rows, slice);
            ourRun = await closedLoop(inProcess, rows, slice);
          } else {
            ourRun = await closedLoop(inProcess, rows, slice);
            rawRun = await closedLoop(raw, rows, slice);
          }
          rawRuns.push(rawRun);
          ourRuns.push(ourRun);
        }
        const rawOrt = combine(rawRuns, rows);
        const ours = combine(ourRuns, rows);
        const rpc = await measureRpc(scoring, {
          name,
          columns,
          batches: data
            .slice(0, 16)
            .map((d) => Array.from({ length: rows }, (_, k) => [...d.subarray(k * width, (k + 1) * width)])),
          rows,
          seconds,
          concurrency,
        });
        const ratio = ours.rowsPerSecond / rawOrt.rowsPerSecond;
        const at = `${name} batch ${rows}`;
        log(
          `${at}: raw ${round(rawOrt.rowsPerSecond, 0)} rows/s, in-process ${round(ours.rowsPerSecond, 0)} (${ratio.toFixed(3)}), ` +
            `RPC ${round(rpc.rowsPerSecond, 0)} (${(rpc.rowsPerSecond / rawOrt.rowsPerSecond).toFixed(3)})`
        );
        if (!worst || ratio < worst.ratio) worst = { ratio, ours: ours.rowsPerSecond, limit: rawOrt.rowsPerSecond, at };
        cases.push({
          model: name,
          rows,
          rawOrt: view(rawOrt),
          inProcess: { ...view(ours), ratio: round(ratio, 3) },
          rpc: { ...rpc, ratio: round(rpc.rowsPerSecond / rawOrt.rowsPerSecond, 3) },
        });
      }
      await session.release();
    }
    return {
      suite: 'scoring',
      unit: 'rows/s (in-process scorer vs raw onnxruntime-node, worst batch size and model)',
      ours: round(worst!.ours, 0),
      limit: round(worst!.limit, 0),
      details: {
        worstCase: worst!.at,
        secondsPerRun: seconds,
        rounds: ROUNDS,
        rpcConcurrency: concurrency,
        cases,
        note:
          'raw = InferenceSession.run with a new Tensor per call (intraOpNumThreads 1, sequential, all graph ' +
          'optimizations: what the scorer uses), in-process = LiveModels.score (registry-followed version, A/B ' +
          'routing, column layout, metrics), rpc = Score to the scoring service from a separate generator process ' +
          `with ${concurrency} calls in flight (small calls are micro-batched). Medians of ${ROUNDS} interleaved ` +
          'rounds for raw and in-process. One machine: generator, service and NATS share its cores.',
      },
    };
  } finally {
    await models?.close();
    await scoring?.stop();
    await nc.close();
    await nats.stop();
  }
}

function view(m: Measured): Record<string, number> {
  return {
    rowsPerSecond: round(m.rowsPerSecond, 0),
    callsPerSecond: round(m.callsPerSecond, 0),
    p50Ms: round(m.p50Ms, 3),
    p99Ms: round(m.p99Ms, 3),
  };
}

async function measureRpc(
  scoring: { address: string; pid: number | undefined },
  spec: { name: string; columns: string[]; batches: number[][][]; rows: number; seconds: number; concurrency: number }
): Promise<Omit<Measured, 'calls' | 'seconds'> & { serviceCpuMsPerCall: number; errors: number }> {
  const pid = scoring.pid!;
  let cpuAtStart = 0;
  let cpuUsed = 0;
  const result: LoadResult = await runLoad(
    {
      target: scoring.address,
      kind: 'score',
      tenantId: 'bench',
      modelName: spec.name,
      featureNames: spec.columns,
      batches: spec.batches,
      concurrency: spec.concurrency,
      warmupSeconds: 1,
      seconds: spec.seconds,
    },
    (phase) => {
      if (phase === 'measuring') cpuAtStart = cpuSeconds(pid);
      else cpuUsed = cpuSeconds(pid) - cpuAtStart;
    }
  );
  if (result.errors > 0) log(`${spec.name} batch ${spec.rows}: ${result.errors} RPC errors`);
  return {
    rowsPerSecond: round(result.rps * spec.rows, 0),
    callsPerSecond: round(result.rps, 0),
    p50Ms: round(result.p50Ms, 3),
    p99Ms: round(result.p99Ms, 3),
    serviceCpuMsPerCall: round(result.calls ? (cpuUsed * 1000) / result.calls : 0, 3),
    errors: result.errors,
  };
}
