import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import { apiClients, callUnary, type RecommendResponse__Output } from '@dmp/grpc';
import { DEFAULT_DEMO, demoEvents, ingestEvents } from '@dmp/demo-data';
import { startNatsServer, startRedisServer, startServiceProcess, type ServiceProcess } from '@dmp/local-servers';
import { ModelRegistry } from '@dmp/scorer';
import { createTenant, featureStoreBacklog } from '@dmp/messaging';

import { accessOverhead, accessOverheadLine } from '../access-overhead';
import type { LoadSpec } from '../load';
import { latencyAtRate, measure, redisPid } from '../measure';
import { peakRssByProcess } from '../proc';
import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';
import { streamSizes } from '../streams';
import { BENCH_API_KEY, storeBenchKey } from '../bench-key';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * `recommend`: Recommend (n=20) for the demo shop's users, through the real decisioning service with its
 * Redis features and in-process ONNX ranking, against its physical limit: a bare grpc-js echo server
 * answering with as many bytes as a Recommend response, driven by the same generator at the same
 * concurrency. Ratio = ours / limit in requests per second. Then both paths again, open loop at half the
 * echo's rate: details.atHalfEchoRate and a second RESULT line compare their p99 latencies at that load.
 */
/** `dmp train --tenant bench --promote`, then waits until decisioning answers with the version it published. */
async function trainShop(natsUrl: string, decisioningAddress: string): Promise<string> {
  const cli = join(REPO_ROOT, 'services', 'cli', 'dist', 'main.js');
  const output = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, 'train', '--tenant', 'bench', '--promote'], {
      env: { ...process.env, NATS_URL: natsUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.once('exit', (code) => (code === 0 ? resolvePromise(stdout) : reject(new Error(`dmp train: exit ${code}`))));
  });
  const version = /published recommend-bench (\w+)/.exec(output)?.[1];
  if (!version) throw new Error(`dmp train published nothing:\n${output}`);
  const client = apiClients.decisioning(decisioningAddress, { defaultDeadlineMs: 5_000, apiKey: BENCH_API_KEY });
  try {
    for (;;) {
      const answer = await callUnary<RecommendResponse__Output>((done) =>
        client.Recommend({ tenantId: 'bench', userId: 'u-0001', n: 1 }, done)
      );
      if (answer.modelVersion === version) return `recommend-bench ${version}`;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    client.close();
  }
}

export async function recommendSuite(options: SuiteOptions): Promise<SuiteResult> {
  const seconds = options.seconds ?? 10;
  const concurrency = options.concurrency ?? 32;
  const [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
  const services: ServiceProcess[] = [];
  const echo = spawn(process.execPath, [join(__dirname, '..', 'echo-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const env = {
      NATS_URL: nats.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      IDENTITY_HMAC_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      HTTP_PORT: '0',
    };
    const nc = await connect({ servers: nats.url });
    await createTenant(nc, 'bench');
    await storeBenchKey(nc);
    const registry = await ModelRegistry.open(nc);
    await registry.publishFile(join(REPO_ROOT, 'services', 'trainer', 'models', 'demo-ranker.onnx'), { promote: true });
    for (const name of ['event-intake', 'feature-store', 'decisioning'] as const) {
      services.push(await startServiceProcess({ name, repoRoot: REPO_ROOT, env }));
    }
    const [intake, , decisioning] = services;
    const intakeClient = apiClients.intake(intake!.address, { defaultDeadlineMs: 30_000, apiKey: BENCH_API_KEY });
    await ingestEvents(intakeClient, 'bench', demoEvents({ ...DEFAULT_DEMO, endMs: Date.now() }));
    intakeClient.close();
    for (;;) {
      if ((await featureStoreBacklog(nc)) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Peak memory of intake and the feature store after loading the shop, before they stop.
    const loadPeakRssMiB = peakRssByProcess({ 'event-intake': intake!.pid, 'feature-store': services[1]!.pid });
    // The shop's own trained model (dmp train: its tables feed the trained candidates), unless BENCH_TRAINED=0:
    // then the platform's default ranker, as before the trainer.
    const trained = process.env['BENCH_TRAINED'] !== '0' ? await trainShop(nats.url, decisioning!.address) : undefined;
    await nc.close();
    // Intake and the feature store are idle from here on; stop them so they take no CPU from the run.
    await Promise.all([services[0]!.stop(), services[1]!.stop()]);

    const users = Array.from({ length: DEFAULT_DEMO.users }, (_, i) => `u-${String(i + 1).padStart(4, '0')}`);
    const common = { concurrency, warmupSeconds: 2, seconds };
    const oursSpec: LoadSpec = {
      ...common,
      kind: 'recommend',
      target: decisioning!.address,
      tenantId: 'bench',
      userIds: users,
      n: 20,
    };
    const oursServers = { decisioning: decisioning!.pid!, 'redis-server': redisPid(redis.pid) };
    const ours = await measure(oursSpec, oursServers);

    const echoPort = await new Promise<number>((ok) =>
      echo.stdout.once('data', (d: Buffer) => ok(Number(d.toString())))
    );
    const echoSpec: LoadSpec = {
      ...common,
      kind: 'echo',
      target: `127.0.0.1:${echoPort}`,
      responseBytes: Math.round(ours.responseBytes),
    };
    const limit = await measure(echoSpec, { echo: echo.pid! });
    const access = await accessOverhead(echoSpec, ours.serverCpuMsPerCall ?? 0, {
      cpuMsPerCall: limit.serverCpuMsPerCall ?? 0,
    });
    process.stdout.write(accessOverheadLine('recommend', access));

    // The latency half of the bar: p99 of both paths under the same offered load, half the echo's maximum.
    // Open loop, because a closed loop slows its sending to the server's pace and so hides the queueing a
    // slow answer causes; the cap on calls in flight stays `concurrency`, the same as above.
    const rate = Math.round(limit.rps / 2);
    const oursAtRate = await measure({ ...oursSpec, ratePerSecond: rate }, oursServers);
    const echoAtRate = await measure({ ...echoSpec, ratePerSecond: rate }, { echo: echo.pid! });
    const atHalfEchoRate = {
      rate,
      ours: latencyAtRate(oursAtRate),
      echo: latencyAtRate(echoAtRate),
      p99Ratio: echoAtRate.p99Ms === 0 ? 0 : oursAtRate.p99Ms / echoAtRate.p99Ms,
    };
    // main prints the throughput RESULT line last; this one comes before the details.
    process.stdout.write(
      `RESULT recommend-p99-at-half-echo-rate ours_p99=${oursAtRate.p99Ms.toFixed(3)} ` +
        `echo_p99=${echoAtRate.p99Ms.toFixed(3)} ratio=${atHalfEchoRate.p99Ratio.toFixed(3)} unit=ms\n`
    );
    for (const [path, result] of [
      ['ours', oursAtRate],
      ['echo', echoAtRate],
    ] as const) {
      if (result.dropped) {
        process.stderr.write(
          `recommend: ${path} dropped ${result.dropped} calls at ${rate} req/s (${concurrency} in flight): ` +
            'its percentiles leave out the calls it could not take and understate its latency at this rate\n'
        );
      }
    }

    // FEATURE_LOG gains one ServedFeatures record per personalised Recommend: its bytes per message, and the
    // most memory decisioning held, are inputs of the capacity model (charts/capacity/measured.json).
    const statsConnection = await connect({ servers: nats.url });
    const streams = await streamSizes(await jetstreamManager(statsConnection));
    await statsConnection.close();
    const peakRssMiB = { ...loadPeakRssMiB, ...peakRssByProcess({ decisioning: decisioning!.pid }) };
    return {
      suite: 'recommend',
      unit: 'req/s',
      ours: ours.rps,
      limit: limit.rps,
      details: {
        concurrency,
        seconds,
        n: 20,
        ours,
        limit,
        atHalfEchoRate,
        access,
        streams,
        peakRssMiB,
        model: trained ?? 'the platform default (BENCH_TRAINED=0)',
        notes:
          'ours = decisioning Recommend (3 pipelined Redis round trips + in-process ONNX); server CPU includes ' +
          'redis-server. limit = bare grpc-js echo with the same response size. Client, servers and Redis share ' +
          'the same cores. atHalfEchoRate: both paths open loop at half the echo req/s, latency from each ' +
          "call's scheduled time; dropped = calls not sent because `concurrency` were in flight (then the " +
          "percentiles understate); sendLagP99Ms = the generator's own share (1 ms timer).",
      },
    };
  } finally {
    echo.kill('SIGTERM');
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all([nats.stop(), redis.stop()]);
  }
}
