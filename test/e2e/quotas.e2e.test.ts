/**
 * Request quotas across replicas: a tenant flooding two decisioning replicas gets its rate, split between
 * them (they count each other through NATS), and RESOURCE_EXHAUSTED with retry advice for the rest, while
 * another tenant's calls, made meanwhile, are all answered.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTenant } from '@dmp/messaging';
import type { DecisioningServiceClient } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';

import {
  addTenant,
  clients,
  metricValue,
  publishModels,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../harness';

const RATE = 40;
let servers: Servers;
const replicas: ServiceProcess[] = [];
const callers: DecisioningServiceClient[] = [];

const recommend = (client: DecisioningServiceClient, tenantId: string) =>
  new Promise<{ code: grpc.status; retryAfterMs?: string }>((resolve) => {
    client.Recommend({ tenantId, userId: 'u1', n: 5 }, (error) =>
      resolve(
        error
          ? { code: error.code, retryAfterMs: String(error.metadata.get('retry-after-ms')[0] ?? '') }
          : { code: grpc.status.OK }
      )
    );
  });

beforeAll(async () => {
  servers = await startServers();
  await createTenant(servers.nc, 'flood', { requestsPerSecond: { serve: RATE } });
  await addTenant(servers.nc, 'calm');
  await publishModels(servers.nc);
  // Intake creates EVENTS, which decisioning's trigger consumer waits for (it serves meanwhile).
  replicas.push(await startService('event-intake', servers));
  for (let i = 0; i < 2; i++) replicas.push(await startService('decisioning', servers));
  for (const replica of replicas.slice(1))
    callers.push(clients.decisioning(replica.address, { defaultDeadlineMs: 5_000 }));
}, 120_000);

afterAll(async () => {
  for (const client of callers) client.close();
  await Promise.all(replicas.map((r) => r.stop()));
  await servers?.stop();
});

describe('request quotas', () => {
  it("holds a flooding tenant to its rate across two replicas, and another tenant's calls all get answers", async () => {
    // Each replica divides the rate by the replicas it hears: wait until both hear each other.
    for (const replica of replicas.slice(1)) {
      await waitFor(
        'both decisioning replicas counted',
        async () => (await metricValue(replica.metricsPort, 'service_replicas')) === 2
      );
    }

    const codes = new Map<grpc.status, number>();
    const retryAdvice: string[] = [];
    let stop = false;
    const started = Date.now();
    // 16 callers in a closed loop for tenant "flood", spread over both replicas.
    const flood = Array.from({ length: 16 }, async (_, i) => {
      while (!stop) {
        const answer = await recommend(callers[i % 2]!, 'flood');
        codes.set(answer.code, (codes.get(answer.code) ?? 0) + 1);
        if (answer.code === grpc.status.RESOURCE_EXHAUSTED) retryAdvice.push(answer.retryAfterMs ?? '');
      }
    });
    // Meanwhile tenant "calm" asks 100 times, one call after the other, on both replicas.
    const calm: grpc.status[] = [];
    for (let i = 0; i < 100; i++) calm.push((await recommend(callers[i % 2]!, 'calm')).code);
    stop = true;
    await Promise.all(flood);
    const seconds = (Date.now() - started) / 1000;

    expect(calm.filter((code) => code !== grpc.status.OK)).toEqual([]);
    const ok = codes.get(grpc.status.OK) ?? 0;
    const refused = codes.get(grpc.status.RESOURCE_EXHAUSTED) ?? 0;
    expect([...codes.keys()].sort()).toEqual([grpc.status.OK, grpc.status.RESOURCE_EXHAUSTED].sort());
    expect(refused).toBeGreaterThan(ok);
    // The rate over the run, plus the two replicas' bursts (one second's share each).
    expect(ok).toBeLessThanOrEqual(Math.ceil(RATE * seconds) + RATE);
    expect(retryAdvice.every((ms) => Number(ms) > 0)).toBe(true);
  }, 120_000);
});
