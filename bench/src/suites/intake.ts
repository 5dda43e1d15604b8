import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import {
  binaryVersion,
  findBinary,
  startNatsServer,
  startServiceProcess,
  type ServiceProcess,
} from '@dmp/local-servers';
import { createTenant } from '@dmp/messaging';

import { runIntakeLoad, type IntakeLoadResult, type IntakeLoadSpec } from '../intake-load';
import { cpuSeconds, peakRssByProcess } from '../proc';
import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';
import { accessOverhead, accessOverheadLine } from '../access-overhead';
import { storeBenchKey } from '../bench-key';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const TENANT = 'bench';
/**
 * Batches in flight to intake (BENCH_CONCURRENCY) and publishes in flight for the limit
 * (BENCH_PUBLISH_WINDOW), tuned on a 2-core machine: intake's throughput is the same with 4 or 8 batches
 * in flight (it is CPU-bound) at half the latency; the bare publisher peaks around 250-1,000 publishes in
 * flight and loses ~40% at 2,000-5,000 (more requests outlive a young-generation GC and are promoted).
 */
const DEFAULT_BATCHES_IN_FLIGHT = 4;
const DEFAULT_PUBLISH_WINDOW = 500;
/** Rounds of interleaved phases (BENCH_ROUNDS); each figure is the median over them. */
const DEFAULT_ROUNDS = 3;
const WARMUP_SECONDS_PER_ROUND = 2;

/** The run with the median events per second. */
function median(runs: Measured[]): Measured {
  return [...runs].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor(runs.length / 2)]!;
}

type Measured = IntakeLoadResult & {
  /** Server CPU during the measured period, ms per 1,000 events, by process. */
  cpuMsPer1kByProcess: Record<string, number>;
  /** Messages the EVENTS stream gained over the whole run; must equal total.accepted. */
  storedInStream: number;
  /** Bytes the EVENTS stream gained per message over the run, as JetStream stores them (one replica). */
  storedBytesPerEvent: number;
};

/** Runs one generator and reads the servers' CPU over exactly its measured period. */
async function measure(
  spec: IntakeLoadSpec,
  servers: Record<string, number>,
  stream: () => Promise<{ messages: number; bytes: number }>
): Promise<Measured> {
  const read = (): Record<string, number> =>
    Object.fromEntries(Object.entries(servers).map(([name, pid]) => [name, cpuSeconds(pid)]));
  let atStart: Record<string, number> = {};
  let used: Record<string, number> = {};
  const before = await stream();
  const result = await runIntakeLoad(spec, (phase) => {
    if (phase === 'measuring') atStart = read();
    else used = Object.fromEntries(Object.entries(read()).map(([name, s]) => [name, s - (atStart[name] ?? 0)]));
  });
  const after = await stream();
  const storedInStream = after.messages - before.messages;
  if (result.total.errors > 0 || result.total.rejected > 0 || result.total.duplicate > 0) {
    process.stderr.write(`intake bench (${spec.kind}): ${JSON.stringify(result.total)}\n`);
  }
  const per1k = (seconds: number): number => (result.events ? (seconds * 1e6) / result.events : 0);
  return {
    ...result,
    cpuMsPer1kByProcess: Object.fromEntries(Object.entries(used).map(([name, s]) => [name, per1k(s)])),
    storedInStream,
    storedBytesPerEvent: storedInStream ? (after.bytes - before.bytes) / storedInStream : 0,
  };
}

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/**
 * `intake`: sustained accepted events per second through the real event-intake process (gRPC Ingest,
 * validation, phone/email normalization and HMAC, one JetStream publish per event), in batches of 1,000
 * (the headline) and of 100, against its physical limit: the same events in the form intake stores them,
 * published straight to the same EVENTS stream (file storage) on the same nats-server by a bare
 * JetStream client with many publishes in flight. Both generators are separate processes; ratio = ours /
 * limit in events per second at batch 1,000.
 */
export async function intakeSuite(options: SuiteOptions): Promise<SuiteResult> {
  // Seconds measured per phase and round: 3 rounds x 4 phases x (2 + 5) s ≈ 85 s by default.
  const seconds = options.seconds ?? 5;
  const batchesInFlight = options.concurrency ?? DEFAULT_BATCHES_IN_FLIGHT;
  const rounds = positiveInt('BENCH_ROUNDS', DEFAULT_ROUNDS);
  const window = positiveInt('BENCH_PUBLISH_WINDOW', DEFAULT_PUBLISH_WINDOW);
  const nats = await startNatsServer();
  let intake: ServiceProcess | undefined;
  try {
    const nc = await connect({ servers: nats.url });
    await createTenant(nc, TENANT, { eventsPerSecond: 10_000_000 });
    await storeBenchKey(nc);
    intake = await startServiceProcess({
      name: 'event-intake',
      repoRoot: REPO_ROOT,
      env: {
        NATS_URL: nats.url,
        LOG_LEVEL: 'warn',
        IDENTITY_HMAC_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        DEFAULT_PHONE_REGION: 'RU',
        HTTP_PORT: '0',
      },
    });
    const jsm = await jetstreamManager(nc);
    const stream = async (): Promise<{ messages: number; bytes: number }> => (await jsm.streams.info('EVENTS')).state;
    const natsPid = nats.pid!;
    const common = { tenantId: TENANT, warmupSeconds: WARMUP_SECONDS_PER_ROUND, seconds };

    // The limit runs first, while the stream and its duplicate window are smallest: if anything, that
    // favours the limit.
    const limitSpec = (publisher: 'lean' | 'stock'): IntakeLoadSpec => ({
      ...common,
      kind: 'publish',
      publisher,
      natsUrl: nats.url,
      window,
    });
    const ingestSpec = (batchSize: number): IntakeLoadSpec => ({
      ...common,
      kind: 'ingest',
      target: intake!.address,
      batchSize,
      batchesInFlight,
    });
    const natsOnly = { 'nats-server': natsPid };
    const withIntake = { 'event-intake': intake.pid!, 'nats-server': natsPid };

    // Phases interleave over ROUNDS rounds and each figure is the median of its rounds: the machine's
    // background load drifts and the stream grows as the run goes on, and neither should decide a ratio.
    // Two limits: intake's own lean publisher (the physical limit of publishing these bytes from one Node
    // process: the headline), and nats.js's js.publish (what a stock client reaches), for reference.
    const runs: Record<'limit' | 'stockLimit' | 'ours' | 'ours100', Measured[]> = {
      limit: [],
      stockLimit: [],
      ours: [],
      ours100: [],
    };
    for (let round = 0; round < rounds; round++) {
      runs.limit.push(await measure(limitSpec('lean'), natsOnly, stream));
      runs.stockLimit.push(await measure(limitSpec('stock'), natsOnly, stream));
      runs.ours.push(await measure(ingestSpec(1000), withIntake, stream));
      runs.ours100.push(await measure(ingestSpec(100), withIntake, stream));
    }
    const limit = median(runs.limit);
    const stockLimit = median(runs.stockLimit);
    const ours = median(runs.ours);
    const ours100 = median(runs.ours100);
    // What API keys cost an Ingest of 100 events: echo with keys minus bare echo, answering as many bytes.
    const ingestCpuMsPerCall = (ours100.cpuMsPer1kByProcess['event-intake'] ?? 0) / 10;
    const access = await accessOverhead(
      { kind: 'echo', concurrency: batchesInFlight, warmupSeconds: 1, seconds, responseBytes: 100 * 45 },
      ingestCpuMsPerCall
    );
    process.stdout.write(accessOverheadLine('intake', access));
    const failed = (await jsm.streams.info('FAILED_EVENTS')).state.messages;
    const peakRssMiB = peakRssByProcess({ 'event-intake': intake.pid, 'nats-server': natsPid });
    await nc.close();

    return {
      suite: 'intake',
      unit: 'events/s',
      // The headline limit: JetStream async publish as a stock client does it (docs/design.md's
      // 15-20 k msg/s anchor). The raw-publisher limit, tighter, is in the details beside it.
      ours: ours.eventsPerSecond,
      limit: stockLimit.eventsPerSecond,
      details: {
        seconds,
        natsServer: binaryVersion(findBinary('nats-server', 'NATS_SERVER_BIN')),
        batchesInFlight,
        publishWindow: window,
        rounds,
        batch1000: summary(ours, stockLimit, pairedRatio(runs.ours, runs.stockLimit)),
        batch100: summary(ours100, stockLimit, pairedRatio(runs.ours100, runs.stockLimit)),
        batch1000AgainstRawPublisher: summary(ours, limit, pairedRatio(runs.ours, runs.limit)),
        eventsPerSecondByRound: Object.fromEntries(
          Object.entries(runs).map(([phase, measured]) => [phase, measured.map((m) => Math.round(m.eventsPerSecond))])
        ),
        failedEventsStored: failed,
        access,
        peakRssMiB,
        ours,
        ours100,
        limit,
        stockLimit,
        notes:
          'ours = event-intake Ingest (validation, msisdn/email normalization + HMAC, one JetStream publish per ' +
          'event), accepted events only; stockLimit (the RESULT limit) = the same events as intake stores them, ' +
          'published with nats.js js.publish (unique Nats-Msg-Id, traceparent header) to the same EVENTS stream ' +
          '(file storage) on the same nats-server; limit (details: batch1000AgainstRawPublisher) = the same bytes ' +
          'published with the one-subscription async publisher intake itself uses. Medians over interleaved ' +
          'rounds. Generators, intake and nats-server share the same cores.',
      },
    };
  } finally {
    await intake?.stop();
    await nats.stop();
  }
}

/** The median of per-round ratios: phases of one round ran minutes apart at most, under the same load. */
function pairedRatio(ours: Measured[], limit: Measured[]): number {
  const ratios = ours.map((o, i) => o.eventsPerSecond / (limit[i]?.eventsPerSecond || Infinity)).sort((a, b) => a - b);
  return ratios[Math.floor(ratios.length / 2)] ?? 0;
}

function summary(ours: Measured, limit: Measured, medianOfRoundRatios: number): Record<string, number | boolean> {
  const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
  return {
    oursEventsPerSecond: Math.round(ours.eventsPerSecond),
    limitEventsPerSecond: Math.round(limit.eventsPerSecond),
    ratio: round(limit.eventsPerSecond ? ours.eventsPerSecond / limit.eventsPerSecond : 0),
    medianOfRoundRatios: round(medianOfRoundRatios),
    ingestP50Ms: round(ours.p50Ms, 1),
    ingestP99Ms: round(ours.p99Ms, 1),
    intakeCpuMsPer1kEvents: round(ours.cpuMsPer1kByProcess['event-intake'] ?? 0, 1),
    natsCpuMsPer1kEvents: round(ours.cpuMsPer1kByProcess['nats-server'] ?? 0, 1),
    limitNatsCpuMsPer1kEvents: round(limit.cpuMsPer1kByProcess['nats-server'] ?? 0, 1),
    generatorCpuMsPer1kEvents: round(ours.generatorCpuMsPer1k, 1),
    limitPublisherCpuMsPer1kEvents: round(limit.generatorCpuMsPer1k, 1),
    // Every event answered ACCEPTED is in the stream, once, and nothing else is.
    storedBytesPerEvent: Math.round(ours.storedInStream ? ours.storedBytesPerEvent : 0),
    storedEqualsAccepted: ours.storedInStream === ours.total.accepted && limit.storedInStream === limit.total.accepted,
  };
}
