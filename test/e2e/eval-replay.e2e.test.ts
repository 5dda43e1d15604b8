import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { callUnary, type Event, type RecommendResponse__Output } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';

import { bestBaseline, evalReplay } from '../../services/cli/src/commands/eval';
import { modelStats } from '../../services/cli/src/commands/model-stats';
import { train } from '../../services/cli/src/commands/train';
import { generateInteractions } from '../../services/cli/src/commands/gen';
import { ModelRegistry, recommendModelName } from '@dmp/scorer';

import {
  clients,
  MODEL_PATH,
  publishModels,
  startServers,
  startService,
  TEST_API_KEY,
  waitFor,
  type Servers,
} from '../harness';

// The CLI's commands called here send DMP_API_KEY, as they do for a user.
process.env['DMP_API_KEY'] = TEST_API_KEY;

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
    // The shop's popularity is long-tailed and fading (libs/demo-data shop.ts): even the untrained default
    // ranker with the similarity table leads it by half again.
    expect(report.recommend.precision).toBeGreaterThan(1.5 * popularity.precision);
    expect(report.recommend.ndcg).toBeGreaterThan(1.5 * popularity.ndcg);
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

  it('trains the tenant’s own model on its data, serves it, and then beats the best offline baseline through the live system', async () => {
    // The streaming service: series watched in order, genres, films; small enough for CI, large enough that
    // the trained model's lead over the baselines (5 % precision@10 here) is not noise.
    const file = join(dir, 'video.csv');
    await generateInteractions(
      file,
      { seed: 11, users: 800, items: 400, categories: 10, events: 20_000, endMs: Date.now() },
      'video'
    );
    const report = await evalReplay({
      natsUrl: servers.nats.url,
      intakeAddress: services['event-intake']!.address,
      decisioningAddress: services['decisioning']!.address,
      interactionsFile: file,
      split: 'temporal',
      testFraction: 0.2,
      k: 10,
      eventType: 'view',
      maxUsers: 0,
      train: true,
    });
    // Published as the tenant's champion, and decisioning answered with it before the eval asked (servedBy).
    expect(report.training?.published).toMatch(/^[0-9a-f]{12}$/);
    expect(report.recommend.failed).toBe(0);
    expect(report.testUsers).toBeGreaterThan(200);
    expect(report.baselines.map((b) => b.name)).toEqual(['popularity', 'item-kNN', 'EASE^R']);
    const best = bestBaseline(report);
    expect(report.recommend.precision).toBeGreaterThanOrEqual(best.precision);
    expect(report.recommend.ndcg).toBeGreaterThanOrEqual(best.ndcg);

    // A champion the trainer cannot judge (the hand-made demo ranker, on features only decisioning computes): a
    // new version must then beat popularity, and goes out as challenger to half of the users; both serve.
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1, 301);
    const events = lines.map((line, i): Event => {
      const [, item] = line.split(',');
      return {
        eventId: `late-${i}`,
        type: 'view',
        identities: { userId: `v-${String((i % 50) + 1).padStart(4, '0')}` },
        itemIds: [item!],
      };
    });
    const decisioning = clients.decisioning(services['decisioning']!.address);
    const intake = clients.intake(services['event-intake']!.address);
    try {
      await callUnary((done) => intake.Ingest({ tenantId: report.tenant, events }, done));
      const registry = await ModelRegistry.open(servers.nc);
      const handMade = await registry.publishFile(MODEL_PATH, {
        name: recommendModelName(report.tenant),
        version: 'hand-made',
        promote: true,
      });
      const second = await train({
        natsUrl: servers.nats.url,
        tenant: report.tenant,
        margin: 0,
        holdout: 'time',
        k: 10,
        promote: false,
        share: 0.5,
      });
      expect(second.published).toMatchObject({ role: 'challenger' });
      expect(second.report.gate.reason).toMatch(/popularity/);
      const versions = new Set<string>();
      await waitFor('both versions answering users', async () => {
        for (let u = 1; u <= 40; u++) {
          const response = await callUnary<RecommendResponse__Output>((done) =>
            decisioning.Recommend({ tenantId: report.tenant, userId: `v-${String(u).padStart(4, '0')}`, n: 5 }, done)
          );
          versions.add(response.modelVersion);
        }
        return versions.has(second.published!.version) && versions.has(handMade.version);
      });

      // What each arm did online: the challenger's list is shown and clicked, counted for its version.
      let challenged: RecommendResponse__Output | undefined;
      for (let u = 1; !challenged; u++) {
        const response = await callUnary<RecommendResponse__Output>((done) =>
          decisioning.Recommend({ tenantId: report.tenant, userId: `v-${String(u).padStart(4, '0')}`, n: 5 }, done)
        );
        if (response.modelVersion === second.published!.version) challenged = response;
      }
      const outcome = (type: 'impression' | 'click', i: number): Event => ({
        eventId: `outcome-${type}-${i}`,
        type,
        identities: { userId: 'v-outcome' },
        properties: { decision_id: { stringValue: challenged.decisionId } },
      });
      await callUnary((done) =>
        intake.Ingest({ tenantId: report.tenant, events: [outcome('impression', 1), outcome('click', 1)] }, done)
      );
      await waitFor('the click counted for the challenger', async () => {
        const arms = await modelStats({ natsUrl: servers.nats.url, name: recommendModelName(report.tenant) });
        const arm = arms.find((a) => a.version === second.published!.version);
        return arm?.serves === 'challenger 50%' && arm.clicks === 1 && arm.impressions === 1 && arm.decisions > 0;
      });
    } finally {
      decisioning.close();
      intake.close();
    }
  }, 600_000);
});
