import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRedisServer, type LocalServer } from '@dmp/local-servers';
import { createLogger } from '@dmp/runtime';

import { parseCampaign } from '../src/campaigns/campaign';
import { CounterStore, countersFor, periodOf } from '../src/campaigns/counters';
import { capsKeys } from '../src/campaigns/keys';
import { LAYOUT_KEY, moveLegacyLayout } from '../src/campaigns/legacy-layout';
import { CampaignReports } from '../src/campaigns/reports';

/**
 * An upgrade across issue 20: the caps Redis holds the keys of the layout under the tenant's tag, as the
 * decisioning before it wrote them, and after the move every cap, exposure, spend and report is where the new
 * layout reads it, with what was counted meanwhile kept.
 */
let server: LocalServer;
let redis: Redis;
const log = createLogger({ service: 'legacy-layout-test', level: 'error' });

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

describe('moving the caps Redis from the tenant-tagged layout', () => {
  it('keeps caps, contact counters, exposures, spend, reports and watermarks, and runs once', async () => {
    const nowMs = Date.now();
    const promo = parseCampaign({
      id: 'promo',
      status: 'active',
      caps: [{ max: 2, per: 'day' }],
      budget: { total: 10 },
    });
    const day = periodOf('day', nowMs, 'UTC');
    // What the previous decisioning left: anna spent her day cap, an SMS today, was exposed; promo spent 7.
    await redis.set(`dc:{shop}:cap:promo:day:${day}:anna`, '2', 'EX', 172_800);
    await redis.set(`dc:{shop}:contact:sms:day:${day}:msisdn:abc`, '1', 'EX', 172_800);
    await redis.hset('rp:{shop}:exp:anna', 'promo', 'treated');
    await redis.set('dc:{shop}:spend:promo:total', '7');
    await redis.set('dc:{shop}:decided:d1:promo', '0', 'EX', 3_600);
    await redis.hset(`rp:{shop}:promo:day:${day}`, 'decisions:default', '7', 'clicks:default', '2');
    await redis.pfadd('rp:{shop}:promo:exposed:treated', 'anna', 'boris');
    await redis.hset('rp:{shop}:w', '3', '120');
    // Meanwhile the new decisioning already decided once for boris.
    const store = new CounterStore(redis);
    const report = (subjectId: string) => ({
      date: day,
      field: 'decisions:default',
      subjectId,
      group: 'treated' as const,
    });
    expect(
      await store.consume('shop', 'd-new', 'promo', countersFor('shop', promo, 'boris', nowMs), report('boris'))
    ).toBeUndefined();

    expect(await moveLegacyLayout(redis, log)).toBe(8);
    expect(await redis.keys('*{shop}*')).toEqual([]);
    expect(await redis.get(LAYOUT_KEY)).toBe('2');

    // anna's cap is spent in the new layout: refused; boris has one left.
    expect(
      (await store.consume('shop', 'd-anna', 'promo', countersFor('shop', promo, 'anna', nowMs), report('anna')))?.kind
    ).toBe('cap');
    expect(
      await store.consume('shop', 'd-boris', 'promo', countersFor('shop', promo, 'boris', nowMs), report('boris'))
    ).toBeUndefined();
    expect(await redis.hget(capsKeys.subscriber('shop', 'anna'), 'x:promo')).toBe('treated');
    expect((await redis.hget(capsKeys.subscriber('shop', 'msisdn:abc'), `p:sms:day:${day}`))?.split(':')[0]).toBe('1');
    expect(await store.spendTotal('shop', 'promo')).toBe(9); // 7 before, 1 meanwhile, 1 after
    const stats = await new CampaignReports(redis).stats('shop', 'promo', [day]);
    expect(stats.creatives['default']).toMatchObject({ decisions: 9, clicks: 2 });
    expect(stats.treated.exposed).toBe(2); // anna and boris, merged
    expect(await redis.hget(capsKeys.reportWatermarks('shop', 'promo'), '3')).toBe('120');

    // Once moved, a start finds nothing to do.
    await redis.set('dc:{shop}:cap:promo:day:2000-01-01:late', '1');
    expect(await moveLegacyLayout(redis, log)).toBe(0);
  });
});
