import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  compileFeatureSet,
  DEFAULT_FEATURES,
  FeatureReader,
  FeatureWriter,
  SegmentMemberships,
  type FeatureEvent,
} from '@dmp/features';
import { startRedisServer, type LocalServer } from '@dmp/local-servers';
import { createLogger } from '@dmp/runtime';

import { LAYOUT_KEY, moveLegacyLayout } from '../src/legacy-layout';

/**
 * An upgrade from the layout before issue 20 (every key of a tenant under `{tenant}`): the features, items,
 * consent and memberships a tenant had are read back from their new places, and an event the build had applied
 * is still found applied.
 */
let server: LocalServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
const v2 = (rest: string) => `fs:v2:{shop}:b1:${rest}`;

describe('features in the layout before issue 20', () => {
  it('move to the layout by entity group, and what was applied stays applied', async () => {
    const trending = v2('z:tenant.trending_items:t:*');
    const seen = Date.now() - 60_000;
    await Promise.all([
      redis.hset(v2('e:u:anon:alice'), 'user.last_seen', String(seen)),
      redis.zadd(v2('z:tenant.popular_items:t:*'), 5, 'item-1', 3, 'item-2'),
      redis.zadd(trending, 8, 'item-2'),
      redis.hset(v2('zl'), trending, String(Math.floor(Date.now() / 1000))),
      redis.hset(v2('cs:anon:alice'), 'ads_targeting', '1', 'ads_targeting#at', '1000'),
      redis.hset(v2('it:item-1'), 'category', 'phones', '_at', '1000'),
      redis.zadd(v2('co:item.also_used:item-1'), 2, 'item-2'),
      redis.hset(v2('pw'), '0', '10'),
      redis.sadd('sg:{shop}:u:anon:alice', 'vip'),
      redis.sadd('sg:{shop}:m:vip', 'anon:alice'),
      redis.set('fs:v2:{shop}:id:device:d1', 'anon:alice'),
    ]);

    const log = createLogger({ service: 'test', level: 'error' });
    expect(await moveLegacyLayout(redis, log)).toBe(10);
    expect(await redis.get(LAYOUT_KEY)).toBe('3');
    expect(await moveLegacyLayout(redis, log)).toBe(0);

    const reader = new FeatureReader(redis, { featuresFor: () => target.features, activeBuild: () => 'b1' });
    const [[lastSeen]] = (await reader.read('shop', 'user', ['anon:alice'], ['user.last_seen'])) as [[unknown]];
    expect(lastSeen).toMatchObject({ value: seen });
    expect(await reader.popular('shop', 10)).toEqual([
      { itemId: 'item-1', score: 5 },
      { itemId: 'item-2', score: 3 },
    ]);
    expect((await reader.trending('shop', 10)).map((item) => item.itemId)).toEqual(['item-2']);
    expect(await reader.consent('shop', 'anon:alice')).toEqual({ ads_targeting: true });
    expect(await reader.itemAttributes('shop', ['item-1'])).toEqual([{ category: 'phones' }]);
    expect(await reader.cooccurring('shop', ['item-1'], 5)).toEqual([[{ itemId: 'item-2', score: 2 }]]);
    const memberships = new SegmentMemberships(redis);
    expect(await memberships.size('shop', 'vip')).toBe(1);
    expect(await memberships.segmentsOf('shop', 'anon:alice')).toEqual(['vip']);

    // Nothing left behind but the identity graph, which keeps its names.
    expect(await redis.keys('fs:v2:{shop}:b1:*')).toEqual([]);
    expect(await redis.keys('sg:{shop}:*')).toEqual([]);
    expect(await redis.get('fs:v2:{shop}:id:device:d1')).toBe('anon:alice');

    // Partition 0's event 10 was applied before the move: found applied, in whichever group it lands; 11 is new.
    const writer = new FeatureWriter(redis);
    const view = (id: string): FeatureEvent => ({
      tenantId: 'shop',
      eventId: id,
      type: 'view',
      subject: 'u-bob',
      identifiers: ['u-bob'],
      itemIds: ['item-9'],
      occurredAtMs: Date.now(),
      properties: {},
      context: {},
    });
    expect(await writer.apply(view('e10'), target, { partition: 0, seq: 10 })).toBe('duplicate');
    expect(await writer.apply(view('e11'), target, { partition: 0, seq: 11 })).toBe('applied');
  });
});
