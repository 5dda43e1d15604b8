import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

import { apiClients, callUnary, type Event, type IngestResponse__Output } from '@dmp/grpc';
import { startNatsServer, startRedisServer, startServiceProcess, type ServiceProcess } from '@dmp/local-servers';
import { createTenant } from '@dmp/messaging';
import { ModelRegistry } from '@dmp/scorer';

import type { LoadSpec } from '../load';
import { measure, redisPid } from '../measure';
import { cpuSeconds, peakRssByProcess } from '../proc';
import { keyFamilies } from '../redis-families';
import { streamSizes } from '../streams';
import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';
import { BENCH_API_KEY, storeBenchKey } from '../bench-key';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const CAMPAIGNS = 100;
const SUBSCRIBERS = 10_000;
const TRIGGERS_PER_SECOND = 1_000;

/**
 * `decide`: Decide against 100 active campaigns (priority tiers, values, CEL targeting on context and on
 * profile features, a daily cap and total and daily budgets on every one: caps and budgets are checked and
 * consumed for every offer) for 10 000 subscribers, through the real decisioning service, against a bare
 * grpc-js echo of the same response size, driven by the same generator. Then the trigger pipeline: trigger
 * events at a sustained 1 000/s through intake, decided by the trigger consumer, sent by the delivery service to
 * a fake gateway in this process: the time from each Ingest call to the gateway accepting its offer.
 */
export async function decideSuite(options: SuiteOptions): Promise<SuiteResult> {
  const seconds = options.seconds ?? 10;
  const concurrency = options.concurrency ?? 32;
  const [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
  const services: ServiceProcess[] = [];
  const echo = spawn(process.execPath, [join(__dirname, '..', 'echo-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const secret = randomBytes(24).toString('base64url');
  // The fake gateway as its own process (as `dmp up` runs it), so its work is not charged to the generator.
  const gatewayProcess = spawn(
    process.execPath,
    [join(REPO_ROOT, 'services', 'delivery', 'dist', 'fake-gateway-main.js')],
    {
      env: { ...process.env, PORT: '0', WEBHOOK_SECRET: secret },
      stdio: ['ignore', 'pipe', 'inherit'],
    }
  );
  const gateway = await new Promise<string>((ok) =>
    gatewayProcess.stdout.once('data', (d: Buffer) => ok(/(http:\/\/\S+)/.exec(d.toString())![1]!))
  );
  try {
    const env = {
      NATS_URL: nats.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      IDENTITY_HMAC_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      HTTP_PORT: '0',
    };
    const nc = await connect({ servers: nats.url });
    await createTenant(nc, 'bench', { eventsPerSecond: 1_000_000 });
    await storeBenchKey(nc);
    const registry = await ModelRegistry.open(nc);
    await registry.publishFile(join(REPO_ROOT, 'services', 'trainer', 'models', 'demo-ranker.onnx'), { promote: true });
    await nc.close();
    const start = (name: 'event-intake' | 'decisioning' | 'delivery', extra: Record<string, string> = {}) =>
      startServiceProcess({ name, repoRoot: REPO_ROOT, env: { ...env, ...extra } }).then((s) => (services.push(s), s));
    const intake = await start('event-intake');
    const decisioning = await start('decisioning');
    await start('delivery', {
      WEBHOOK_URLS: gateway,
      WEBHOOK_SECRET: secret,
      INTAKE_ADDR: intake.address,
      DMP_API_KEY: BENCH_API_KEY,
    });

    const admin = apiClients.campaigns(decisioning.address, { defaultDeadlineMs: 10_000, apiKey: BENCH_API_KEY });
    for (let i = 0; i < CAMPAIGNS; i++) {
      const campaign = {
        id: `campaign-${i}`,
        status: 'active',
        priority: i % 3,
        value: 1 + (i % 17),
        placements: ['app-banner'],
        targeting:
          i % 2 === 0
            ? `context.channel == "app" || context.page_category == "c${i}"`
            : `!has(profile.x${i}) || profile["user.views_7d"] >= 0.0`,
        caps: [{ max: 1_000_000, per: 'day' }],
        budget: { unit: 'money', total: 1e12, daily: 1e11, costPerOffer: 10 },
      };
      await callUnary((done) => admin.PutCampaign({ tenantId: 'bench', campaignJson: JSON.stringify(campaign) }, done));
    }
    await callUnary((done) =>
      admin.PutCampaign(
        {
          tenantId: 'bench',
          campaignJson: JSON.stringify({
            id: 'roaming',
            status: 'active',
            channels: ['sms'],
            trigger: { event: 'roaming_start' },
          }),
        },
        done
      )
    );
    admin.close();

    const users = Array.from({ length: SUBSCRIBERS }, (_, i) => `s-${i}`);
    const common = { concurrency, warmupSeconds: 2, seconds };
    const oursSpec: LoadSpec = {
      ...common,
      kind: 'decide',
      target: decisioning.address,
      tenantId: 'bench',
      userIds: users,
    };
    const ours = await measure(oursSpec, { decisioning: decisioning.pid!, 'redis-server': redisPid(redis.pid) });
    // What Decide left in the caps Redis (counters, decided marks, reports), family by family, per call.
    const redisClient = new Redis(redis.url);
    const redisAfterDecide = await keyFamilies(redisClient);
    const decisionMarks = await decisionMarkBytes(redisClient);
    const echoPort = await new Promise<number>((ok) =>
      echo.stdout.once('data', (d: Buffer) => ok(Number(d.toString())))
    );
    const limit = await measure(
      { ...common, kind: 'echo', target: `127.0.0.1:${echoPort}`, responseBytes: Math.round(ours.responseBytes) },
      { echo: echo.pid! }
    );

    // CPU of every process over the trigger run: where a trigger's cost goes.
    const pids: Record<string, number> = {
      intake: intake.pid!,
      decisioning: decisioning.pid!,
      delivery: services[2]!.pid!,
      gateway: gatewayProcess.pid!,
      'redis-server': redisPid(redis.pid),
      'nats-server': nats.pid!,
    };
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
    const run = await triggerToDelivery(intake.address, gateway, seconds);
    const triggers = {
      ...run,
      cpuMsPerTrigger: Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [name, ((cpuSeconds(pid) - cpuBefore[name]!) * 1000) / run.sent])
      ),
    };
    // What the runs left in Redis (the trigger run adds the delivery ledger) and on the bus (DECISION_LOG: one
    // record per Decide and per trigger decision; DELIVERIES: one per offer), and the most memory each process
    // held: inputs of the capacity model (charts/capacity/measured.json).
    const redisAfterTriggers = await keyFamilies(redisClient);
    redisClient.disconnect();
    const statsConnection = await connect({ servers: nats.url });
    const streams = await streamSizes(await jetstreamManager(statsConnection));
    await statsConnection.close();
    const peakRssMiB = peakRssByProcess(pids);
    process.stdout.write(
      `RESULT trigger-to-delivery p50=${triggers.p50Ms.toFixed(1)} p99=${triggers.p99Ms.toFixed(1)} ` +
        `at=${triggers.sentPerSecond.toFixed(0)}/s delivered=${triggers.delivered}/${triggers.sent} unit=ms\n`
    );
    return {
      suite: 'decide',
      unit: 'req/s',
      ours: ours.rps,
      limit: limit.rps,
      details: {
        campaigns: CAMPAIGNS,
        subscribers: SUBSCRIBERS,
        concurrency,
        seconds,
        ours,
        limit,
        triggers,
        streams,
        peakRssMiB,
        redisAfterDecide,
        redisAfterTriggers,
        decisionMarks,
        notes:
          'ours = decisioning Decide: 100 campaigns filtered and CEL-targeted, one profile read, arbitration, one ' +
          'script on the subscriber (its cap) and one on the campaign (two budgets, its report); server CPU includes redis-server. limit = bare grpc-js echo ' +
          'of the same response size. triggers: Ingest at 1 000 events/s → EVENTS → trigger consumer → DELIVERIES ' +
          '→ delivery service → signed webhook → fake gateway (in this process); latency from the Ingest call. ' +
          'streams: messages and stored bytes of every stream at the end; redisAfterDecide / redisAfterTriggers: ' +
          'the keys in Redis by family (MEMORY USAGE) after the Decide run and after the trigger run; ' +
          'peakRssMiB: VmHWM of each process.',
      },
    };
  } finally {
    echo.kill('SIGTERM');
    await Promise.all(services.map((s) => s.stop()));
    gatewayProcess.kill('SIGTERM');
    await Promise.all([nats.stop(), redis.stop()]);
  }
}

/** Trigger events at TRIGGERS_PER_SECOND for `seconds`, in batches every 50 ms; latency to the gateway. */
async function triggerToDelivery(
  intakeAddress: string,
  gatewayUrl: string,
  seconds: number
): Promise<{ sent: number; delivered: number; sentPerSecond: number; p50Ms: number; p99Ms: number }> {
  const client = apiClients.intake(intakeAddress, { defaultDeadlineMs: 10_000, apiKey: BENCH_API_KEY });
  const sentAt = new Map<string, number>(); // subject → Ingest call start
  const batch = TRIGGERS_PER_SECOND / 20;
  const startMs = Date.now();
  let n = 0;
  const calls: Promise<IngestResponse__Output>[] = [];
  for (let tick = 0; tick < seconds * 20; tick++) {
    const due = startMs + tick * 50;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const events: Event[] = Array.from({ length: batch }, () => {
      const subject = `roamer-${n++}`;
      sentAt.set(subject, Date.now());
      return {
        eventId: `trig-${subject}`,
        type: 'roaming_start',
        identities: { userId: subject },
        properties: { country: { stringValue: 'TR' } },
      };
    });
    calls.push(callUnary<IngestResponse__Output>((done) => client.Ingest({ tenantId: 'bench', events }, done)));
  }
  const rejected = (await Promise.all(calls)).flatMap((r) =>
    r.results.filter((e) => e.status === 'EVENT_STATUS_REJECTED')
  );
  if (rejected.length > 0)
    throw new Error(`intake rejected ${rejected.length} trigger events: ${JSON.stringify(rejected[0])}`);
  const sentPerSecond = n / ((Date.now() - startMs) / 1000);
  const received = async () =>
    ((await (await fetch(gatewayUrl)).json()) as { deliveries: { atMs: number; body: { subjectId: string } }[] })
      .deliveries;
  const deadline = Date.now() + 60_000;
  let got = await received();
  while (got.length < n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    got = await received();
  }
  client.close();
  const latencies = got.map((r) => r.atMs - (sentAt.get(r.body.subjectId) ?? r.atMs)).sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { sent: n, delivered: latencies.length, sentPerSecond, p50Ms: q(0.5), p99Ms: q(0.99) };
}

/**
 * The campaign's side of each decision's outcome is a field of an hour's hash per campaign
 * (`dc:{<t>:c:<campaign>}:d:<hour>`): its bytes per decision are the hashes' bytes over their fields.
 */
async function decisionMarkBytes(redis: Redis): Promise<{ decisions: number; bytesPerDecision: number }> {
  let decisions = 0;
  let bytes = 0;
  for await (const keys of redis.scanStream({ match: 'dc:{*:c:*}:d:*', count: 1_000 })) {
    for (const key of keys as string[]) {
      decisions += await redis.hlen(key);
      bytes += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    }
  }
  return { decisions, bytesPerDecision: decisions ? Math.round(bytes / decisions) : 0 };
}
