import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRedisServer, type LocalServer } from '@dmp/local-servers';

import {
  buildPrefix,
  catalogKeys,
  compileFeatureSet,
  DEFAULT_FEATURES,
  episodeOrder,
  FeatureWriter,
  readItemAttributes,
  type FeatureEvent,
} from '../src';

/** The item catalog kept from `item` events, exactly once and last-writer-wins by event time. */
let server: LocalServer;
let redis: Redis;
let writer: FeatureWriter;
const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
const prefix = buildPrefix('shop', 'b1');
let n = 0;

const itemEvent = (
  itemId: string,
  atMs: number,
  properties: FeatureEvent['properties'],
  eventId = `item-${n++}`
): FeatureEvent => ({
  tenantId: 'shop',
  eventId,
  type: 'item',
  subject: `item:${itemId}`,
  identifiers: [],
  itemIds: [itemId],
  occurredAtMs: atMs,
  properties,
  context: {},
});

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  writer = new FeatureWriter(redis);
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

describe('item catalog', () => {
  it('keeps every attribute, typed, and nothing for unknown items', async () => {
    await writer.apply(
      itemEvent('phone', 1_000, {
        category: 'electronics/phones',
        brand: 'Acme',
        price: 199.5,
        available: true,
        stock: 3,
        created_at: '2026-11-01T00:00:00Z',
      }),
      target
    );
    expect(await readItemAttributes(redis, prefix, ['phone', 'nothing'])).toEqual([
      {
        category: 'electronics/phones',
        brand: 'Acme',
        price: 199.5,
        available: true,
        stock: 3,
        createdAtMs: Date.parse('2026-11-01T00:00:00Z'),
      },
      undefined,
    ]);
    expect(await redis.zscore(catalogKeys.newArrivals(prefix, 0), 'phone')).toBe(
      String(Date.parse('2026-11-01T00:00:00Z'))
    );
  });

  it('applies an update once, and ignores one older than what it has (out-of-order delivery)', async () => {
    const update = itemEvent('phone', 5_000, { stock: 0 }, 'stock-out');
    expect(await writer.apply(update, target, { partition: 0, seq: 10 })).toBe('applied');
    expect(await writer.apply(update, target, { partition: 0, seq: 10 })).toBe('duplicate');
    const older = itemEvent('phone', 4_000, { stock: 7, price: 1 });
    expect(await writer.apply(older, target, { partition: 0, seq: 11 })).toBe('applied');
    const [phone] = await readItemAttributes(redis, prefix, ['phone']);
    expect(phone).toMatchObject({ stock: 0, price: 199.5, brand: 'Acme' });
    await writer.apply(itemEvent('phone', 6_000, { stock: 2, available: false }), target);
    expect((await readItemAttributes(redis, prefix, ['phone']))[0]).toMatchObject({ stock: 2, available: false });
  });

  it('indexes episodes by series in season and episode order', async () => {
    const episodes: [string, number, number][] = [
      ['s2e1', 2, 1],
      ['s1e2', 1, 2],
      ['s1e10', 1, 10],
      ['s1e1', 1, 1],
    ];
    for (const [id, season, episode] of episodes) {
      await writer.apply(itemEvent(id, 1_000, { series_id: 'dark', season, episode, duration_s: 3_000 }), target);
    }
    expect(await redis.zrange(catalogKeys.series(prefix, 'dark'), 0, -1)).toEqual(['s1e1', 's1e2', 's1e10', 's2e1']);
    expect(await redis.zscore(catalogKeys.series(prefix, 'dark'), 's1e10')).toBe(String(episodeOrder(1, 10)));
    expect((await readItemAttributes(redis, prefix, ['s1e2']))[0]).toEqual({
      seriesId: 'dark',
      season: 1,
      episode: 2,
      durationSeconds: 3_000,
    });
  });

  it('feeds no feature: an item event is not a user’s activity', async () => {
    const before = await redis.keys(`${prefix}e:*`);
    await writer.apply(itemEvent('socks', 1_000, { category: 'clothes' }), target);
    expect(await redis.keys(`${prefix}e:*`)).toEqual(before);
  });
});
