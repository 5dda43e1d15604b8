import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { subjectToken } from '@dmp/messaging';

import { parseCampaign } from '../src/campaigns/campaign';
import { CounterStore, countersFor } from '../src/campaigns/counters';
import { capsKeys } from '../src/campaigns/keys';
import { CampaignReports } from '../src/campaigns/reports';
import { keySpread, startRedisCluster, type LocalCluster } from '../../../test/harness';

/**
 * The caps Redis of one big tenant on a Redis Cluster of 3 primaries: every script's keys share one slot (a
 * subscriber's, or a campaign's), so nothing is refused as CROSSSLOT, and the tenant's keys spread over the
 * primaries instead of sitting in the tenant's one slot.
 */
const SUBSCRIBERS = 30_000;
let redis: LocalCluster;
let cluster: Cluster;

beforeAll(async () => {
  redis = await startRedisCluster(3, 0);
  cluster = new Cluster(redis.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })));
});

afterAll(async () => {
  cluster?.disconnect();
  await redis?.stop();
});

describe('caps on a Redis Cluster', () => {
  it(`spreads one tenant's ${SUBSCRIBERS} subscribers over the primaries, and caps, spends, reports and erases there`, async () => {
    const store = new CounterStore(cluster as unknown as Redis);
    const promo = parseCampaign({
      id: 'promo',
      status: 'active',
      caps: [{ max: 1, per: 'day' }],
      budget: { total: SUBSCRIBERS + 1 }, // one left for the erased subscriber, below
    });
    const nowMs = Date.now();
    const date = new Date(nowMs).toISOString().slice(0, 10);
    const offer = (subject: string, decisionId: string) =>
      store.consume('big', decisionId, promo.id, countersFor('big', promo, subject, nowMs), {
        date,
        field: 'decisions:default',
        subjectId: subject,
        group: 'treated',
      });
    // Each subscriber twice (two decisions): the first offer fits the day cap, the second is refused by it.
    const refused: (string | undefined)[] = [];
    for (let from = 0; from < SUBSCRIBERS; from += 1_000) {
      const page = Array.from({ length: 1_000 }, (_, k) => `s${from + k}`);
      await Promise.all(page.map((s) => offer(s, `${s}-1`)));
      refused.push(...(await Promise.all(page.map((s) => offer(s, `${s}-2`)))).map((c) => c?.kind));
    }
    expect(refused.every((kind) => kind === 'cap')).toBe(true);
    expect(await store.spendTotal('big', 'promo')).toBe(SUBSCRIBERS);

    // Where the tenant's keys are: per primary within ±10 % of a third, and no slot with more than 1 %.
    const { total, perPrimary, busiestSlot } = await keySpread(cluster, '*');
    expect(total).toBeGreaterThan(SUBSCRIBERS);
    for (const keys of perPrimary) expect(Math.abs(keys / (total / 3) - 1)).toBeLessThan(0.1);
    expect(busiestSlot / total).toBeLessThan(0.01);
    process.stdout.write(
      `caps on a cluster: ${total} keys of one tenant over 3 primaries: ${perPrimary.join(' / ')}; ` +
        `busiest slot ${((100 * busiestSlot) / total).toFixed(2)} %\n`
    );

    // A conversion of an exposed subscriber counts in the campaign's report, across slots.
    const reports = new CampaignReports(cluster as unknown as Redis);
    await reports.record({ tenantId: 'big', type: 'conversion', subject: 's7', date, partition: 3, seq: 10 });
    await reports.record({ tenantId: 'big', type: 'conversion', subject: 's7', date, partition: 3, seq: 10 });
    const stats = await reports.stats('big', 'promo', [date]);
    expect(stats.treated.converted).toBe(1);
    expect(stats.creatives['default']?.decisions).toBe(SUBSCRIBERS);

    // Erasure: the subscriber's one key, found from its token.
    await cluster.del(capsKeys.subscriberOfToken('big', subjectToken('big', 's7')));
    expect(await offer('s7', 's7-3')).toBeUndefined(); // nothing left to cap them with
  });
});
