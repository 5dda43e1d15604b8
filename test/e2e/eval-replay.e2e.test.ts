import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { callUnary, type RecommendResponse__Output } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';

import { evalReplay } from '../../services/cli/src/commands/eval';
import { generateInteractions } from '../../services/cli/src/commands/gen';
import { clients, publishModels, startServers, startService, type Servers } from '../harness';

let servers: Servers;
const services: Record<string, ServiceProcess> = {};
let dir: string;

beforeAll(async () => {
  servers = await startServers();
  await publishModels(servers.nc);
  for (const name of ['event-intake', 'feature-store', 'decisioning'] as const) {
    services[name] = await startService(name, servers);
  }
  dir = mkdtempSync(join(tmpdir(), 'dmp-eval-'));
});

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await servers?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('dmp gen + dmp eval replay', () => {
  it('replays a synthetic shop through the live system (item-kNN table built from the stream) and beats the popularity baseline by a wide margin', async () => {
    const file = join(dir, 'shop.csv');
    const lines = await generateInteractions(file, {
      seed: 7,
      users: 400,
      items: 300,
      categories: 12,
      events: 15_000,
      endMs: Date.now(),
    });
    expect(lines).toBeGreaterThanOrEqual(15_000);
    const report = await evalReplay({
      natsUrl: servers.nats.url,
      intakeAddress: services['event-intake']!.address,
      decisioningAddress: services['decisioning']!.address,
      featureStoreAddress: services['feature-store']!.address,
      similar: true,
      interactionsFile: file,
      split: 'temporal',
      testFraction: 0.2,
      k: 10,
      eventType: 'view',
      maxUsers: 0,
    });
    expect(report.testUsers).toBeGreaterThan(100);
    expect(report.recommend.failed).toBe(0);
    expect(report.baselines.map((b) => b.name)).toEqual(['popularity', 'item-kNN', 'EASE^R']);
    const popularity = report.baselines[0]!;
    expect(report.recommend.precision).toBeGreaterThan(2 * popularity.precision);
    expect(report.recommend.ndcg).toBeGreaterThan(2 * popularity.ndcg);
    expect(report.recommend.coverage).toBeGreaterThan(popularity.coverage);

    // The similarity table `dmp similar build` made from the replayed stream feeds "similar to X" candidates.
    const decisioning = clients.decisioning(services['decisioning']!.address);
    try {
      let similar = 0;
      for (let u = 1; u <= 20; u++) {
        const response = await callUnary<RecommendResponse__Output>((done) =>
          decisioning.Recommend({ tenantId: report.tenant, userId: `u-${String(u).padStart(4, '0')}`, n: 20 }, done)
        );
        similar += response.items.filter((i) => i.reasons.some((r) => r.code === 'REASON_CODE_SIMILAR')).length;
      }
      expect(similar).toBeGreaterThan(0);
    } finally {
      decisioning.close();
    }
  });
});
