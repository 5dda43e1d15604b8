import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRedisServer, type LocalServer } from '@dmp/local-servers';

import {
  bucketOf,
  compileFeatureSet,
  FeatureReader,
  FeatureWriter,
  HLL_BUCKETS,
  parseFeatureSet,
  WINDOWS,
  type FeatureEvent,
  type FeatureSet,
  type FeatureValue,
  type WindowName,
} from '../src';

/**
 * Every aggregation against a brute-force reference computed from the same random events: the streaming
 * state in Redis (rings of buckets, totals, HyperLogLogs, decayed maps, forward-decayed zsets,
 * co-occurrence) must read back as what a full scan of the history says.
 */
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const DAY = 86_400_000;
const HALF_LIFE_S = 3 * 86_400;

const SET: FeatureSet = parseFeatureSet({
  version: 1,
  features: [
    { name: 'user.views_1h', events: ['view'], aggregation: { kind: 'count', window: '1h' } },
    { name: 'user.views_24h', events: ['view'], aggregation: { kind: 'count', window: '24h' } },
    { name: 'user.views_7d', events: ['view'], aggregation: { kind: 'count', window: '7d' } },
    { name: 'user.views_30d', events: ['view'], aggregation: { kind: 'count', window: '30d' } },
    { name: 'user.views_all', events: ['view'], aggregation: { kind: 'count', window: 'all' } },
    { name: 'user.revenue_7d', events: ['purchase'], aggregation: { kind: 'sum', property: 'revenue', window: '7d' } },
    {
      name: 'user.revenue_all',
      events: ['purchase'],
      aggregation: { kind: 'sum', property: 'revenue', window: 'all' },
    },
    {
      name: 'user.big_purchases_30d',
      events: ['purchase'],
      where: [{ path: 'properties.revenue', op: 'gt', value: 50 }],
      aggregation: { kind: 'count', window: '30d' },
    },
    { name: 'user.last_seen', events: ['*'], aggregation: { kind: 'last_seen' } },
    { name: 'user.recent', events: ['view', 'purchase'], aggregation: { kind: 'last_n', n: 5 } },
    { name: 'user.seen', events: ['view', 'purchase'], aggregation: { kind: 'item_set', max: 4 } },
    {
      name: 'user.distinct_items_7d',
      events: ['view', 'purchase'],
      aggregation: { kind: 'distinct_count', of: 'item', window: '7d' },
    },
    {
      name: 'user.affinity',
      events: ['view', 'purchase'],
      aggregation: { kind: 'decayed_count', by: 'category', halfLife: '3d', top: 50 },
    },
    { name: 'user.clicks_30d', events: ['click'], aggregation: { kind: 'count', window: '30d' } },
    { name: 'user.impressions_30d', events: ['impression'], aggregation: { kind: 'count', window: '30d' } },
    {
      name: 'user.ctr_30d',
      aggregation: { kind: 'ratio', numerator: 'user.clicks_30d', denominator: 'user.impressions_30d' },
    },
    { name: 'user.short_lived', events: ['view'], ttl: '1d', aggregation: { kind: 'last_seen' } },
    { name: 'item.views_24h', events: ['view'], aggregation: { kind: 'count', window: '24h' } },
    {
      name: 'item.distinct_users_all',
      events: ['view', 'purchase'],
      aggregation: { kind: 'distinct_count', of: 'user', window: 'all' },
    },
    { name: 'item.trending', events: ['view'], aggregation: { kind: 'trending', short: '24h', long: '30d' } },
    { name: 'item.also', events: ['view', 'purchase'], aggregation: { kind: 'cooccurrence', recent: 4, top: 1000 } },
    {
      name: 'item.next',
      events: ['view', 'purchase'],
      aggregation: { kind: 'cooccurrence', recent: 3, top: 1000, directed: true },
    },
    { name: 'tenant.popular', events: ['view', 'purchase'], aggregation: { kind: 'top_items', top: 1000 } },
    {
      name: 'category.hot',
      events: ['view', 'purchase'],
      aggregation: { kind: 'top_items', halfLife: '3d', top: 1000 },
    },
    { name: 'user_category.views_30d', events: ['view'], aggregation: { kind: 'count', window: '30d' } },
  ],
});

const USERS = ['u1', 'u2', 'u3', 'u4'];
const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6'];
const CATEGORIES = ['c1', 'c2', 'c3'];

const eventArb = fc.record({
  type: fc.constantFrom('view', 'view', 'view', 'purchase', 'click', 'impression'),
  subject: fc.constantFrom(...USERS),
  itemIds: fc.uniqueArray(fc.constantFrom(...ITEMS), { minLength: 0, maxLength: 3 }),
  // Ages at every scale, so each window's edges are crossed: minutes, hours, days, beyond 30 days.
  ageMs: fc.oneof(
    fc.integer({ min: 0, max: 2 * 3_600_000 }),
    fc.integer({ min: 0, max: 2 * DAY }),
    fc.integer({ min: 0, max: 40 * DAY })
  ),
  revenue: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
});

let server: LocalServer;
let redis: Redis;
let runs = 0;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

type RawEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function toEvents(tenantId: string, raw: readonly RawEvent[]): FeatureEvent[] {
  // Distinct times, so "latest" is never a tie.
  const used = new Set<number>();
  return raw.map((r, i) => {
    let t = NOW - r.ageMs;
    while (used.has(t)) t--;
    used.add(t);
    return {
      tenantId,
      eventId: `e${i}`,
      type: r.type,
      subject: r.subject,
      identifiers: [], // applied as it is: the identity graph is the feature store's step before
      itemIds: r.itemIds,
      occurredAtMs: t,
      properties: {
        ...(r.revenue !== undefined && { revenue: r.revenue }),
        ...(r.category !== undefined && { category: r.category }),
      },
      context: {},
    };
  });
}

// The reference: a full scan of the history.
const inWindow = (window: WindowName, t: number): boolean => {
  if (window === 'all') return true;
  const now = bucketOf(window, NOW / 1000);
  const b = bucketOf(window, t / 1000);
  return b > now - WINDOWS[window].buckets && b <= now;
};
const hllInWindow = (window: WindowName, t: number): boolean => {
  if (window === 'all') return true;
  const size = (WINDOWS[window].bucketSeconds * WINDOWS[window].buckets) / HLL_BUCKETS;
  const now = Math.floor(NOW / 1000 / size);
  const b = Math.floor(t / 1000 / size);
  return b > now - HLL_BUCKETS && b <= now;
};
const decay = (t: number): number => 2 ** (-(NOW - t) / 1000 / HALF_LIFE_S);

function number(value: FeatureValue | undefined): number | undefined {
  return value?.status === 'present' && value.kind === 'number' ? value.value : undefined;
}
function scored(value: FeatureValue | undefined): Record<string, number> {
  return value?.status === 'present' && value.kind === 'scored_items'
    ? Object.fromEntries(value.value.map((x) => [x.itemId, x.score]))
    : {};
}

async function applyAndRead(events: FeatureEvent[], times = 1) {
  const tenantId = `t${++runs}`;
  const features = compileFeatureSet({ version: 1, features: SET.features });
  const writer = new FeatureWriter(redis);
  const mine = events.map((e) => ({ ...e, tenantId }));
  // Each event at its place in its user's partition (of 5: tenant and category state lands in 5 aggregate shards,
  // merged when read); a second pass is every partition delivered again from its start.
  const partitionOf = (e: FeatureEvent): number => USERS.indexOf(e.subject) % 5;
  for (let k = 0; k < times; k++) {
    for (const [i, e] of mine.entries())
      await writer.apply(e, { build: 'b1', features }, { partition: partitionOf(e), seq: i + 1 });
  }
  const reader = new FeatureReader(redis, { featuresFor: () => features, activeBuild: () => 'b1' }, () => NOW);
  const names = (entity: string) => SET.features.filter((f) => f.entity === entity).map((f) => f.name);
  const read = async (entity: 'user' | 'item' | 'tenant' | 'category' | 'user_category', ids: string[]) => {
    const grid = await reader.read(tenantId, entity, ids, names(entity));
    return Object.fromEntries(
      ids.map((id, i) => [id, Object.fromEntries(names(entity).map((n, j) => [n, grid[i]![j]!]))])
    );
  };
  return {
    users: await read('user', USERS),
    items: await read('item', ITEMS),
    tenant: (await read('tenant', ['*']))['*']!,
    categories: await read('category', CATEGORIES),
    userCategories: await read(
      'user_category',
      USERS.flatMap((u) => CATEGORIES.map((c) => `${u}|${c}`))
    ),
  };
}

function checkAgainstReference(events: FeatureEvent[], got: Awaited<ReturnType<typeof applyAndRead>>): void {
  for (const u of USERS) {
    const mine = events.filter((e) => e.subject === u);
    const views = mine.filter((e) => e.type === 'view');
    const f = got.users[u]!;
    for (const w of ['1h', '24h', '7d', '30d', 'all'] as const) {
      const expected = views.filter((e) => inWindow(w, e.occurredAtMs)).length;
      const name = w === 'all' ? 'user.views_all' : `user.views_${w}`;
      expect(number(f[name]) ?? 0, `${u} ${name}`).toBe(views.length === 0 ? 0 : expected);
    }
    const purchases = mine.filter((e) => e.type === 'purchase');
    const revenue = (w: WindowName) =>
      purchases
        .filter((e) => inWindow(w, e.occurredAtMs))
        .reduce((s, e) => s + ((e.properties['revenue'] as number) ?? 0), 0);
    expect(number(f['user.revenue_7d']) ?? 0, `${u} revenue 7d`).toBeCloseTo(revenue('7d'), 9);
    expect(number(f['user.revenue_all']) ?? 0, `${u} revenue all`).toBeCloseTo(revenue('all'), 9);
    expect(number(f['user.big_purchases_30d']) ?? 0, `${u} big`).toBe(
      purchases.filter((e) => inWindow('30d', e.occurredAtMs) && (e.properties['revenue'] as number) > 50).length
    );
    expect(number(f['user.last_seen']), `${u} last seen`).toBe(
      mine.length ? Math.max(...mine.map((e) => e.occurredAtMs)) : undefined
    );

    // Distinct items, newest first, each at its latest time, five at most.
    const latest = new Map<string, number>();
    for (const e of mine.filter((x) => x.type === 'view' || x.type === 'purchase')) {
      for (const item of e.itemIds) latest.set(item, Math.max(latest.get(item) ?? 0, e.occurredAtMs));
    }
    const recent = [...latest].sort((a, b) => b[1] - a[1]).slice(0, 5);
    expect(scored(f['user.recent']), `${u} recent`).toEqual(Object.fromEntries(recent));
    // The item set: the same, four at most, whatever order the events were applied in. Among items of one
    // time a sorted set orders by name, and its oldest (the smallest name of a tie) is what goes.
    const seen = [...latest].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1)).slice(0, 4);
    expect(scored(f['user.seen']), `${u} seen`).toEqual(Object.fromEntries(seen));

    const distinct = new Set(
      mine
        .filter((e) => (e.type === 'view' || e.type === 'purchase') && hllInWindow('7d', e.occurredAtMs))
        .flatMap((e) => e.itemIds)
    );
    expect(number(f['user.distinct_items_7d']) ?? 0, `${u} distinct`).toBe(distinct.size);

    const affinity: Record<string, number> = {};
    for (const e of mine.filter((x) => x.type === 'view' || x.type === 'purchase')) {
      const c = e.properties['category'] as string | undefined;
      if (c) affinity[c] = (affinity[c] ?? 0) + decay(e.occurredAtMs);
    }
    const gotAffinity = scored(f['user.affinity']);
    expect(Object.keys(gotAffinity).sort(), `${u} affinity keys`).toEqual(Object.keys(affinity).sort());
    for (const [c, v] of Object.entries(affinity)) expect(gotAffinity[c]!, `${u} affinity ${c}`).toBeCloseTo(v, 9);

    const clicks = mine.filter((e) => e.type === 'click' && inWindow('30d', e.occurredAtMs)).length;
    const impressions = mine.filter((e) => e.type === 'impression' && inWindow('30d', e.occurredAtMs)).length;
    expect(number(f['user.ctr_30d']), `${u} ctr`).toBe(
      impressions > 0 && mine.some((e) => e.type === 'click') ? clicks / impressions : undefined
    );

    // A 1-day TTL: gone when the user's last view is older than that.
    const lastView = views.length ? Math.max(...views.map((e) => e.occurredAtMs)) : undefined;
    expect(number(f['user.short_lived']), `${u} ttl`).toBe(
      lastView !== undefined && NOW - lastView <= DAY ? lastView : undefined
    );

    for (const c of CATEGORIES) {
      const n = views.filter((e) => e.properties['category'] === c && inWindow('30d', e.occurredAtMs)).length;
      expect(number(got.userCategories[`${u}|${c}`]!['user_category.views_30d']) ?? 0, `${u}|${c}`).toBe(n);
    }
  }

  // Co-occurrence: each user's recent history (4 items), a pair counted when an item is new to it.
  const pairs = new Map<string, Map<string, number>>();
  const history = new Map<string, string[]>();
  for (const e of events.filter((x) => x.type === 'view' || x.type === 'purchase')) {
    let partners = history.get(e.subject) ?? [];
    for (const item of e.itemIds) {
      if (partners.includes(item)) partners = partners.filter((p) => p !== item);
      else {
        for (const p of partners) {
          for (const [a, b] of [
            [item, p],
            [p, item],
          ] as const) {
            const m = pairs.get(a) ?? new Map<string, number>();
            m.set(b, (m.get(b) ?? 0) + 1);
            pairs.set(a, m);
          }
        }
      }
      partners = [item, ...partners].slice(0, 4);
    }
    history.set(e.subject, partners);
  }
  // Directed: after each partner in the recent 3, the new item counts once.
  const next = new Map<string, Map<string, number>>();
  const recent3 = new Map<string, string[]>();
  for (const e of events.filter((x) => x.type === 'view' || x.type === 'purchase')) {
    let partners = recent3.get(e.subject) ?? [];
    for (const item of e.itemIds) {
      if (partners.includes(item)) partners = partners.filter((p) => p !== item);
      else {
        for (const p of partners) {
          const m = next.get(p) ?? new Map<string, number>();
          m.set(item, (m.get(item) ?? 0) + 1);
          next.set(p, m);
        }
      }
      partners = [item, ...partners].slice(0, 3);
    }
    recent3.set(e.subject, partners);
  }
  for (const i of ITEMS) {
    const f = got.items[i]!;
    expect(scored(f['item.also']), `${i} also`).toEqual(Object.fromEntries(pairs.get(i) ?? []));
    expect(scored(f['item.next']), `${i} next`).toEqual(Object.fromEntries(next.get(i) ?? []));
    const views = events.filter((e) => e.type === 'view' && e.itemIds.includes(i));
    expect(number(f['item.views_24h']) ?? 0, `${i} views 24h`).toBe(
      views.filter((e) => inWindow('24h', e.occurredAtMs)).length
    );
    const users = new Set(
      events.filter((e) => (e.type === 'view' || e.type === 'purchase') && e.itemIds.includes(i)).map((e) => e.subject)
    );
    expect(number(f['item.distinct_users_all']) ?? 0, `${i} distinct users`).toBe(users.size);
    const short = views.filter((e) => inWindow('24h', e.occurredAtMs)).length;
    const long = views.filter((e) => inWindow('30d', e.occurredAtMs)).length;
    const trending = long > 0 ? short / 86_400 / (long / (30 * 86_400)) : undefined;
    if (trending === undefined) expect(number(f['item.trending'])).toBeUndefined();
    else expect(number(f['item.trending'])!, `${i} trending`).toBeCloseTo(trending, 9);
  }

  const popular: Record<string, number> = {};
  const hot: Record<string, Record<string, number>> = {};
  for (const e of events.filter((x) => x.type === 'view' || x.type === 'purchase')) {
    for (const item of e.itemIds) {
      popular[item] = (popular[item] ?? 0) + 1;
      const c = e.properties['category'] as string | undefined;
      if (c) (hot[c] ??= {})[item] = (hot[c][item] ?? 0) + decay(e.occurredAtMs);
    }
  }
  expect(scored(got.tenant['tenant.popular'])).toEqual(popular);
  for (const c of CATEGORIES) {
    const gotHot = scored(got.categories[c]!['category.hot']);
    expect(Object.keys(gotHot).sort(), `${c} hot`).toEqual(Object.keys(hot[c] ?? {}).sort());
    for (const [item, v] of Object.entries(hot[c] ?? {})) expect(gotHot[item]!, `${c} ${item}`).toBeCloseTo(v, 9);
  }
}

describe('streaming aggregations against a brute-force reference', () => {
  it('match for random histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 120 }), async (raw) => {
        const events = toEvents('t', raw);
        checkAgainstReference(events, await applyAndRead(events));
      }),
      { numRuns: 40, seed: 4242 }
    );
  });

  it('are unchanged when every event is delivered again (redelivery, replay)', async () => {
    const events = toEvents(
      't',
      fc.sample(fc.array(eventArb, { minLength: 80, maxLength: 80 }), { numRuns: 1, seed: 9 })[0]!
    );
    checkAgainstReference(events, await applyAndRead(events, 3));
  });
});
