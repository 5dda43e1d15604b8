import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

import { connect } from '@nats-io/transport-node';

import { mintApiKey, openApiKeysBucket } from '@dmp/access';
import { apiClients, callUnary, type IntakeServiceClient } from '@dmp/grpc';
import { startNatsServer, startServiceProcess, type ServiceProcess } from '@dmp/local-servers';
import { createTenant } from '@dmp/messaging';

import { BENCH_API_KEY, storeBenchKey } from '../bench-key';
import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';

const TENANT = 'bench';
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

interface Phase {
  calls: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Calls ListEventTypes (a read every replica checks the key of) from `concurrency` loops until `until` resolves. */
async function callWhile(client: IntakeServiceClient, concurrency: number, until: Promise<unknown>): Promise<Phase> {
  const latencies: number[] = [];
  let done = false;
  void until.then(() => (done = true));
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!done) {
        const t0 = process.hrtime.bigint();
        await callUnary((cb) => client.ListEventTypes({ tenantId: TENANT }, cb));
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    })
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    calls: latencies.length,
    callsPerSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1] ?? 0,
  };
}

/**
 * `keys`: a tenant with 10,000 API keys. How long a service takes to load them at start (against the same start
 * with none), and whether calls pause while all 10,000 change at once (each revoked, as a mass rotation would):
 * latency and calls per second while the table reloads, against the same calls just before. ours = calls/s during
 * the reload, limit = calls/s before it.
 */
export async function keysSuite(options: SuiteOptions): Promise<SuiteResult> {
  const keyCount = Number(process.env['BENCH_KEYS'] ?? 10_000);
  const seconds = options.seconds ?? 5;
  const concurrency = options.concurrency ?? 8;
  const nats = await startNatsServer();
  const services: ServiceProcess[] = [];
  const nc = await connect({ servers: nats.url });
  try {
    await createTenant(nc, TENANT);
    await storeBenchKey(nc);
    const env = {
      NATS_URL: nats.url,
      LOG_LEVEL: 'warn',
      IDENTITY_HMAC_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      HTTP_PORT: '0',
    };
    const startIntake = async (): Promise<number> => {
      const t0 = Date.now();
      services.push(await startServiceProcess({ name: 'event-intake', repoRoot: REPO_ROOT, env }));
      return Date.now() - t0;
    };
    // The limit of loading: the same start with no key but the bench's.
    const emptyStartMs = await startIntake();
    await services.pop()!.stop();

    const kv = await openApiKeysBucket(nc);
    const records = Array.from(
      { length: keyCount },
      (_, i) =>
        mintApiKey({ tenantId: TENANT, kind: 'secret', scopes: ['serve'], name: `key ${i}`, createdBy: 'bench' }).record
    );
    for (let i = 0; i < records.length; i += 500) {
      await Promise.all(records.slice(i, i + 500).map((r) => kv.put(r.id, JSON.stringify(r))));
    }
    const loadedStartMs = await startIntake();

    const client = apiClients.intake(services[0]!.address, { defaultDeadlineMs: 10_000, apiKey: BENCH_API_KEY });
    const before = await callWhile(client, concurrency, new Promise((r) => setTimeout(r, seconds * 1000)));
    const reloadStarted = Date.now();
    const rewrite = (async () => {
      const revokedAt = new Date().toISOString();
      for (let i = 0; i < records.length; i += 500) {
        await Promise.all(records.slice(i, i + 500).map((r) => kv.put(r.id, JSON.stringify({ ...r, revokedAt }))));
      }
      return Date.now() - reloadStarted;
    })();
    const during = await callWhile(client, concurrency, rewrite);
    const rewriteMs = await rewrite;
    client.close();

    return {
      suite: 'keys',
      unit: 'calls/s',
      ours: during.callsPerSecond,
      limit: before.callsPerSecond,
      details: {
        keys: keyCount,
        startMs: { withKeys: loadedStartMs, withoutKeys: emptyStartMs },
        reload: { rewriteMs, before, during },
        notes:
          `event-intake with ${keyCount} keys of one tenant in NATS KV dmp_api_keys. startMs: process start to ` +
          'SERVING (the key table loads before readiness), with and without them. reload: every key rewritten ' +
          `(revoked) while ${concurrency} loops call ListEventTypes with another key; latency and calls/s during ` +
          'the rewrite against the same calls just before. Client, service and nats-server share the same cores.',
      },
    };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await nc.close();
    await nats.stop();
  }
}
