import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRedisServer, type LocalServer } from '@dmp/local-servers';

import {
  buildPrefix,
  compileFeatureSet,
  featureKeys,
  FeatureReader,
  FeatureWriter,
  parseFeatureSet,
  type FeatureEvent,
  type FeatureValue,
} from '../src';

/**
 * Time passing: windows forget what slid out of them, a slot reused after a long pause starts from zero,
 * late events older than a window are not counted in it, values go STALE and then MISSING after their TTL,
 * and Redis itself drops keys after the longest TTL of what they hold.
 */
const T0 = Date.UTC(2026, 10, 25, 12, 2, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const SET = parseFeatureSet({
  version: 1,
  features: [
    { name: 'user.views_1h', events: ['view'], aggregation: { kind: 'count', window: '1h' } },
    { name: 'user.views_24h', events: ['view'], aggregation: { kind: 'count', window: '24h' } },
    { name: 'user.views_7d', events: ['view'], aggregation: { kind: 'count', window: '7d' } },
    { name: 'user.views_30d', events: ['view'], aggregation: { kind: 'count', window: '30d' } },
    { name: 'user.views_all', events: ['view'], aggregation: { kind: 'count', window: 'all' } },
    { name: 'user.distinct_1h', events: ['view'], aggregation: { kind: 'distinct_count', of: 'item', window: '1h' } },
    {
      name: 'user.last_view',
      events: ['view'],
      aggregation: { kind: 'last_seen' },
      staleAfter: '30m',
      ttl: '2h',
    },
    { name: 'user.last_click', events: ['click'], aggregation: { kind: 'last_seen' }, ttl: '1h' },
    // The only item feature: item hashes hold nothing longer-lived.
    { name: 'item.last_click', events: ['click'], aggregation: { kind: 'last_seen' }, ttl: '1h' },
  ],
});
const NAMES = SET.features.filter((f) => f.entity === 'user').map((f) => f.name);
const features = compileFeatureSet(SET);

let server: LocalServer;
let redis: Redis;
let writer: FeatureWriter;
let n = 0;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  writer = new FeatureWriter(redis);
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

const event = (tenantId: string, type: string, atMs: number, item = `i${n}`): FeatureEvent => ({
  tenantId,
  eventId: `e${++n}`,
  type,
  subject: 'u1',
  identifiers: [], // applied as it is: the identity graph is the feature store's step before
  itemIds: [item],
  occurredAtMs: atMs,
  properties: {},
  context: {},
});

async function readAt(tenantId: string, nowMs: number): Promise<Record<string, FeatureValue>> {
  const reader = new FeatureReader(redis, { featuresFor: () => features, activeBuild: () => 'b1' }, () => nowMs);
  const [row] = await reader.read(tenantId, 'user', ['u1'], NAMES);
  return Object.fromEntries(NAMES.map((name, i) => [name, row![i]!]));
}

const counts = (values: Record<string, FeatureValue>): Record<string, number | string> =>
  Object.fromEntries(
    Object.entries(values).map(([name, v]) => [
      name,
      v.status === 'missing' ? 'missing' : v.kind === 'number' ? v.value : '?',
    ])
  );

describe('windows over time', () => {
  it('forget events as they slide out, window by window', async () => {
    const t = 'slide';
    for (let i = 0; i < 3; i++) await writer.apply(event(t, 'view', T0), { build: 'b1', features });
    const at = async (offsetMs: number) => counts(await readAt(t, T0 + offsetMs));

    expect(await at(0)).toMatchObject({
      'user.views_1h': 3,
      'user.views_24h': 3,
      'user.views_7d': 3,
      'user.views_30d': 3,
      'user.views_all': 3,
      'user.distinct_1h': 3,
    });
    expect(await at(HOUR + 5 * MINUTE)).toMatchObject({
      'user.views_1h': 0,
      'user.views_24h': 3,
      'user.distinct_1h': 'missing',
    });
    expect(await at(25 * HOUR)).toMatchObject({ 'user.views_24h': 0, 'user.views_7d': 3 });
    expect(await at(8 * DAY)).toMatchObject({ 'user.views_7d': 0, 'user.views_30d': 3 });
    expect(await at(31 * DAY)).toMatchObject({ 'user.views_30d': 0, 'user.views_all': 3 });
  });

  it('starts a reused slot from zero after a long pause, and ignores late events older than the window', async () => {
    const t = 'reuse';
    await writer.apply(event(t, 'view', T0), { build: 'b1', features });
    await writer.apply(event(t, 'view', T0), { build: 'b1', features });
    // Exactly one ring length later, the event lands in the same slot of every ring.
    const later = T0 + 30 * DAY;
    await writer.apply(event(t, 'view', later), { build: 'b1', features });
    expect(counts(await readAt(t, later))).toMatchObject({
      'user.views_1h': 1,
      'user.views_24h': 1,
      'user.views_30d': 1,
      'user.views_all': 3,
    });

    // A late event from 40 days ago: too old for every window, still part of "all".
    await writer.apply(event(t, 'view', later - 40 * DAY), { build: 'b1', features });
    expect(counts(await readAt(t, later))).toMatchObject({ 'user.views_30d': 1, 'user.views_all': 4 });
  });
});

describe('freshness and TTL', () => {
  it('reads a value as PRESENT, then STALE after staleAfter, then MISSING after its TTL', async () => {
    const t = 'ttl';
    await writer.apply(event(t, 'view', T0), { build: 'b1', features });
    expect((await readAt(t, T0 + 10 * MINUTE))['user.last_view']).toMatchObject({ status: 'present', value: T0 });
    expect((await readAt(t, T0 + 45 * MINUTE))['user.last_view']).toMatchObject({ status: 'stale', value: T0 });
    expect((await readAt(t, T0 + 3 * HOUR))['user.last_view']).toEqual({ status: 'missing' });
    // Other features of the same entity keep their own, longer TTL.
    expect((await readAt(t, T0 + 3 * HOUR))['user.views_24h']).toMatchObject({ status: 'present', value: 1 });
  });

  it('lets Redis drop a key after the longest TTL of what it holds, never sooner', async () => {
    const t = 'redis-ttl';
    const prefix = buildPrefix(t, 'b1');
    const userKey = featureKeys.entity(prefix, 'user', 'u1');
    // A click updates only 1-hour features; the user hash also holds 90-day ones (views), the item hash not.
    await writer.apply(event(t, 'click', Date.now(), 'i-clicked'), { build: 'b1', features });
    expect(await redis.ttl(userKey)).toBeGreaterThan(89 * 86_400);
    const itemTtl = await redis.ttl(featureKeys.entity(prefix, 'item', 'i-clicked'));
    expect(itemTtl).toBeGreaterThan(0);
    expect(itemTtl).toBeLessThanOrEqual(3_600);
  });
});
