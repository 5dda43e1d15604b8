import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startRedisServer, type LocalServer } from '@dmp/local-servers';

import { featureKeys, FeatureReader, FeatureWriter, type FeatureEvent } from '../src';

let server: LocalServer;
let redis: Redis;
let writer: FeatureWriter;
let reader: FeatureReader;
let n = 0;

const event = (userId: string, itemIds: string[], overrides: Partial<FeatureEvent> = {}): FeatureEvent => ({
  tenantId: 't1',
  eventId: `e-${++n}`,
  type: 'view',
  userId,
  itemIds,
  occurredAtMs: 1_700_000_000_000 + n,
  ...overrides,
});

/** Every key of the tenant with its full contents, to prove that nothing changed. */
async function snapshot(): Promise<Record<string, unknown>> {
  const keys = (await redis.keys('fs:v1:{t1}:*')).filter((k) => !k.includes(':applied:')).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await redis.type(key);
    out[key] =
      type === 'zset'
        ? await redis.zrange(key, '0', '-1', 'WITHSCORES')
        : type === 'list'
          ? await redis.lrange(key, 0, -1)
          : await redis.hgetall(key);
  }
  return out;
}

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  writer = new FeatureWriter(redis, { cooccurrenceCap: 5 });
  reader = new FeatureReader(redis);
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

beforeEach(async () => {
  await redis.flushall();
});

describe('FeatureWriter on a real Redis', () => {
  it('applies an event: popularity, per-type counts, recent items and co-occurrence', async () => {
    await writer.apply(event('alice', ['a']));
    await writer.apply(event('alice', ['b'], { type: 'purchase' }));
    await writer.apply(event('alice', ['c']));

    expect(await reader.interactions('t1', ['a', 'b', 'c', 'zzz'])).toEqual([1, 1, 1, null]);
    expect(await redis.hget(featureKeys.itemCounts('t1', 'b'), 'purchase')).toBe('1');
    expect(await reader.recentItems('t1', 'alice', 10)).toEqual(['c', 'b', 'a']);
    const [ofA, ofC] = await reader.cooccurring('t1', ['a', 'c'], 10);
    expect(ofA!.map((s) => s.itemId).sort()).toEqual(['b', 'c']);
    expect(ofC!.map((s) => s.itemId).sort()).toEqual(['a', 'b']);
  });

  it('applies a redelivered event (same event id) once: the second time changes nothing', async () => {
    const e = event('alice', ['a', 'b']);
    await writer.apply(event('alice', ['x']));
    expect(await writer.apply(e)).toBe('applied');
    const before = await snapshot();
    expect(await writer.apply(e)).toBe('duplicate');
    expect(await writer.apply({ ...e, occurredAtMs: e.occurredAtMs + 5 })).toBe('duplicate');
    expect(await snapshot()).toEqual(before);
    expect(await reader.interactions('t1', ['a'])).toEqual([1]);
  });

  it('counts a pair once per user, however often the user repeats it, and once more for each other user', async () => {
    for (const user of ['u1', 'u1', 'u2']) {
      await writer.apply(event(user, ['a']));
      await writer.apply(event(user, ['b']));
    }
    const [ofA] = await reader.cooccurring('t1', ['a'], 10);
    expect(ofA).toEqual([{ itemId: 'b', score: 2 }]);
    expect(await reader.interactions('t1', ['a', 'b'])).toEqual([3, 3]);
  });

  it('pairs the items of one basket with each other', async () => {
    await writer.apply(event('u1', ['a', 'b', 'c'], { type: 'purchase' }));
    const [ofB] = await reader.cooccurring('t1', ['b'], 10);
    expect(ofB!.map((s) => s.itemId).sort()).toEqual(['a', 'c']);
  });

  it('keeps each co-occurrence set within its cap', async () => {
    await writer.apply(event('u1', ['hub']));
    for (let i = 0; i < 12; i++) await writer.apply(event('u1', [`i${i}`]));
    expect(await redis.zcard(featureKeys.itemCooccurrence('t1', 'hub'))).toBeLessThanOrEqual(5);
  });

  it('keeps tenants apart', async () => {
    await writer.apply(event('alice', ['a']));
    await writer.apply(event('alice', ['z'], { tenantId: 't2', eventId: 'e-1' })); // same event id, other tenant
    expect(await reader.interactions('t1', ['a', 'z'])).toEqual([1, null]);
    expect(await reader.interactions('t2', ['a', 'z'])).toEqual([null, 1]);
  });

  it('reads a grid of features with a status per value', async () => {
    await writer.apply(event('alice', ['a']));
    await writer.apply(event('alice', ['b']));
    const grid = await reader.read('t1', ['a', 'never-seen'], ['item.interactions', 'item.co_occurrence']);
    expect(grid[0]![0]).toMatchObject({ status: 'present', kind: 'number', value: 1 });
    expect(grid[0]![1]).toMatchObject({ status: 'present', kind: 'scored_items', value: [{ itemId: 'b', score: 1 }] });
    expect(grid[1]).toEqual([{ status: 'missing' }, { status: 'missing' }]);
    const [row] = await reader.read('t1', ['alice'], ['user.recent_items']);
    expect(row?.[0]).toMatchObject({ status: 'present', value: ['b', 'a'], eventTimeMs: 1_700_000_000_000 + n });
  });
});
