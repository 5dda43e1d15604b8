import * as grpc from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  compileFeatureSet,
  DEFAULT_FEATURES,
  FeatureReader,
  FeatureWriter,
  parseFeatureSet,
  updateBuildState,
  readBuildState,
  type EntityKind,
  type FeatureEvent,
  type FeatureValue,
} from '@dmp/features';
import type {
  Event,
  FeatureStoreServiceClient,
  RebuildFeaturesRequest,
  RebuildFeaturesResponse__Output,
} from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  encodeEvent,
  ensureStream,
  eventMsgId,
  eventsStream,
  eventSubject,
  featureStoreBacklog,
  JetStreamPublisher,
} from '@dmp/messaging';

import {
  addTenant,
  callUnary,
  clients,
  expectRejected,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

/**
 * Rebuild: the stream replayed into a new build while live events keep flowing into both, then readers
 * switch. The result must equal a reference build that applied every event once, in stream order —
 * which is what the live consumer computes. (Co-occurrence depends on arrival order once a user's recent
 * history overflows; here every user stays within it, so the comparison can be exact.)
 */
let servers: Servers;
let store: ServiceProcess;
/** A second replica: the partitions, and so the rebuild's catch-ups, are shared between the two. */
let second: ServiceProcess;
// Short leases: a killed replica's partitions move within the test.
const startStore = () => startService('feature-store', servers, { PARTITION_LEASE_SECONDS: '2' });
let client: FeatureStoreServiceClient;
let redis: Redis;
let publisher: JetStreamPublisher;

const OWN_FEATURES = {
  version: 1,
  features: [
    { name: 'user.purchases_all', events: ['purchase'], aggregation: { kind: 'count', window: 'all' } },
    {
      name: 'item.revenue_30d',
      events: ['purchase'],
      aggregation: { kind: 'sum', property: 'revenue', window: '30d' },
    },
  ],
};
const FEATURES = compileFeatureSet({
  version: 1,
  features: [...DEFAULT_FEATURES.features, ...parseFeatureSet(OWN_FEATURES, DEFAULT_FEATURES.features).features],
});
const START = Date.now() - 10 * 86_400_000;
const TYPES = ['view', 'view', 'view', 'purchase', 'click', 'impression', 'add_to_cart'];
const CATEGORIES = ['c1', 'c2', 'c3', 'c4'];
const published: Event[] = [];

/** Event i: a user, one of 8 items of that user's shelf (so their history fits in 20 items), a distinct time. */
function makeEvent(i: number, users: number): Event {
  const user = i % users;
  const item = (user * 3 + ((i * 7) % 8)) % 40;
  const at = START + i * 60_000;
  const type = TYPES[(i * 5) % TYPES.length]!;
  return {
    eventId: `r-${i}`,
    tenantId: 'shop',
    type,
    identities: { userId: `user-${user}` },
    itemIds: type === 'impression' || type === 'click' ? [] : [`item-${item}`],
    properties: {
      category: { stringValue: CATEGORIES[item % CATEGORIES.length]! },
      ...(type === 'purchase' && { revenue: { numberValue: 5 + (i % 17) } }),
    },
    occurredAt: { seconds: String(Math.floor(at / 1000)), nanos: (at % 1000) * 1e6 },
    receivedAt: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 },
  };
}

async function publish(from: number, to: number, users: number): Promise<void> {
  for (let start = from; start < to; start += 250) {
    const events = Array.from({ length: Math.min(250, to - start) }, (_, k) => makeEvent(start + k, users));
    published.push(...events);
    const results = await publisher.publishAll(
      events.map((e) => ({
        subject: eventSubject('shop', e.type!, e.identities!.userId!),
        data: encodeEvent(e),
        msgID: eventMsgId('shop', e.eventId!),
      }))
    );
    expect(results.filter((r) => r instanceof Error)).toEqual([]);
  }
}

const rebuild = (request: Partial<RebuildFeaturesRequest> = {}): Promise<RebuildFeaturesResponse__Output> =>
  callUnary((done) =>
    client.RebuildFeatures({ tenantId: 'shop', ...request }, { deadline: Date.now() + 120_000 }, done)
  );

async function drained(): Promise<boolean> {
  return (await featureStoreBacklog(servers.nc)) === 0;
}

async function keyCount(build: string): Promise<number> {
  return (await redis.keys(`fs:v3:${build}:{shop:*`)).length;
}

/** Every feature of every entity the published events touched, as read from one build at one instant. */
async function snapshot(build: string, nowMs: number): Promise<Record<string, FeatureValue>> {
  const reader = new FeatureReader(redis, { featuresFor: () => FEATURES, activeBuild: () => build }, () => nowMs);
  const ids: Record<EntityKind, Set<string>> = {
    user: new Set(),
    item: new Set(),
    category: new Set(CATEGORIES),
    user_category: new Set(),
    tenant: new Set(['*']),
  };
  for (const e of published) {
    ids.user.add(e.identities!.userId!);
    for (const item of e.itemIds!) ids.item.add(item);
    for (const c of CATEGORIES) ids.user_category.add(`${e.identities!.userId!}|${c}`);
  }
  const out: Record<string, FeatureValue> = {};
  for (const [kind, set] of Object.entries(ids) as [EntityKind, Set<string>][]) {
    const names = [...FEATURES.features.values()].filter((f) => f.entity === kind).map((f) => f.name);
    const grid = await reader.read('shop', kind, [...set], names);
    [...set].forEach((id, i) => names.forEach((name, j) => (out[`${kind}:${id}:${name}`] = grid[i]![j]!)));
  }
  return out;
}

/** The reference: every published event applied once, in order, to build `ref`. */
async function referenceBuild(): Promise<void> {
  const writer = new FeatureWriter(redis);
  await writer.dropBuild('shop', 'ref');
  // Sent without waiting for each reply: one connection, so Redis runs them in this order.
  const applied: Promise<unknown>[] = [];
  for (const e of published) {
    const event: FeatureEvent = {
      tenantId: 'shop',
      eventId: e.eventId!,
      type: e.type!,
      subject: e.identities!.userId!,
      identifiers: [e.identities!.userId!],
      itemIds: e.itemIds!,
      occurredAtMs: Number(e.occurredAt!.seconds) * 1000 + Math.floor(e.occurredAt!.nanos! / 1e6),
      properties: Object.fromEntries(
        Object.entries(e.properties!).map(([k, v]) => [k, (v.stringValue ?? v.numberValue)!])
      ),
      context: {},
    };
    applied.push(writer.apply(event, { build: 'ref', features: FEATURES }));
  }
  await Promise.all(applied);
}

function expectSameFeatures(got: Record<string, FeatureValue>, expected: Record<string, FeatureValue>): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  let present = 0;
  for (const [key, want] of Object.entries(expected)) {
    const have = got[key]!;
    expect(have.status, key).toBe(want.status);
    if (want.status === 'missing' || have.status === 'missing') continue;
    present++;
    if (want.kind === 'number' && have.kind === 'number') {
      expect(have.value, key).toBeCloseTo(want.value, 6);
    } else if (want.kind === 'scored_items' && have.kind === 'scored_items') {
      const scores = (v: typeof want.value) => Object.fromEntries(v.map((x) => [x.itemId, x.score]));
      expect(Object.keys(scores(have.value)).sort(), key).toEqual(Object.keys(scores(want.value)).sort());
      // Relative for big scores: forward-decayed scores of events ahead of the clock grow fast (a 3 h half-life).
      for (const [item, score] of Object.entries(scores(want.value))) {
        const error = Math.abs(scores(have.value)[item]! - score);
        expect(error, `${key} ${item}: ${scores(have.value)[item]} vs ${score}`).toBeLessThanOrEqual(
          Math.max(1e-6, Math.abs(score) * 1e-12)
        );
      }
    } else {
      throw new Error(`${key}: ${have.kind} is not ${want.kind}`);
    }
  }
  expect(present).toBeGreaterThan(500); // the comparison covered real values, not only missing ones
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await ensureStream(servers.nc, eventsStream(1));
  redis = new Redis(servers.redis.url);
  publisher = new JetStreamPublisher(servers.nc, 10_000);
  store = await startStore();
  second = await startStore();
  client = clients.featureStore(store.address);
});

afterAll(async () => {
  client?.close();
  await store?.stop();
  await second?.stop();
  await redis?.quit();
  await servers?.stop();
});

describe('RebuildFeatures', () => {
  it('fills new features from history and equals live, while live traffic runs', { timeout: 120_000 }, async () => {
    // History, computed live with the defaults only.
    await publish(0, 3_000, 60);
    await waitFor('history applied', drained, 60_000);
    expect(await keyCount('b1')).toBeGreaterThan(0);

    // New definitions: they start empty; the rebuild computes them over the whole stream.
    await callUnary((done) =>
      client.PutFeatureSet({ tenantId: 'shop', featureSetJson: JSON.stringify(OWN_FEATURES) }, done)
    );
    let rebuilt = false;
    const rebuilding = rebuild().finally(() => (rebuilt = true));
    // The second replica dies mid-rebuild: its partitions, caught up or not, move to the first (then shared again
    // with a new second), whose catch-ups resume from the build's watermarks.
    const killing = (async () => {
      await waitFor('the rebuild under way', async () => (await keyCount('b2')) > 0);
      await second.stop('SIGKILL');
      second = await startStore();
    })();
    // Live traffic throughout the rebuild, without pause: before, during and after each handover.
    const users = 120;
    let next = 3_000;
    for (; !rebuilt; next += 50) {
      await publish(next, next + 50, users);
      // Closed loop: as fast as the live consumer keeps up, no faster.
      await waitFor(
        'the live consumer keeps up',
        async () => ((await featureStoreBacklog(servers.nc)) ?? Infinity) < 200
      );
    }
    const result = await rebuilding;
    await killing;
    await publish(next, next + 500, users);
    await waitFor('live traffic applied', drained, 60_000);

    expect(result).toMatchObject({ build: 'b2', previousBuild: 'b1' });
    expect(Number(result.eventsReplayed)).toBeGreaterThanOrEqual(3_000);
    expect(Number(result.replayedFrom!.seconds)).toBeGreaterThan(0);
    expect(await keyCount('b1')).toBe(0); // the old build is gone

    await referenceBuild();
    const now = Date.now();
    expectSameFeatures(await snapshot('b2', now), await snapshot('ref', now));

    // And readers use the new build: a new feature answers from history.
    const buyer = published.find((e) => e.type === 'purchase')!.identities!.userId!;
    const response = await callUnary<{ entities: { values: { status: string; numberValue?: number }[] }[] }>((done) =>
      client.GetFeatures(
        { tenantId: 'shop', entityType: 'ENTITY_TYPE_USER', entityIds: [buyer], featureNames: ['user.purchases_all'] },
        done
      )
    );
    const purchases = published.filter((e) => e.type === 'purchase' && e.identities!.userId === buyer).length;
    expect(response.entities[0]!.values[0]).toMatchObject({ status: 'FEATURE_STATUS_PRESENT', numberValue: purchases });
  });

  it('restores every feature after Redis lost its data', { timeout: 120_000 }, async () => {
    await redis.flushall();
    const result = await rebuild();
    expect(result).toMatchObject({ build: 'b3', previousBuild: 'b2' });
    await referenceBuild();
    const now = Date.now();
    expectSameFeatures(await snapshot('b3', now), await snapshot('ref', now));
  });

  it(
    'takes over from a rebuild that died, and lets only one of two concurrent rebuilds finish',
    { timeout: 120_000 },
    async () => {
      // A rebuild into b4 died: live events still go to b3 and b4.
      const { revision } = await readBuildState(servers.nc, 'shop');
      expect(await updateBuildState(servers.nc, 'shop', { active: 'b3', building: 'b4' }, revision)).toBeDefined();
      await publish(published.length, published.length + 100, 120);
      await waitFor('b4 written to by the live consumer', async () => (await keyCount('b4')) > 0);

      const outcomes = await Promise.allSettled([rebuild(), rebuild()]);
      const done = outcomes.filter((o) => o.status === 'fulfilled');
      const aborted = outcomes.filter((o) => o.status === 'rejected');
      expect(done).toHaveLength(1);
      expect(aborted.map((o) => grpc.status[(o.reason as grpc.ServiceError).code])).toEqual(['ABORTED']);
      const { build } = (done[0] as PromiseFulfilledResult<RebuildFeaturesResponse__Output>).value;
      expect(build === 'b5' || build === 'b6').toBe(true);
      expect((await readBuildState(servers.nc, 'shop')).state).toEqual({ active: build });
      // Every other build's keys go: the dead rebuild's, the losing one's, the replaced one.
      await waitFor('only the active build left', async () => {
        const builds = new Set((await redis.keys('fs:v3:*:{shop:*')).map((k) => k.split(':')[2]));
        builds.delete('ref');
        return builds.size === 1 && builds.has(build);
      });
    }
  );

  it('answers bad requests with the right status, naming the field', async () => {
    await expectRejected<Partial<RebuildFeaturesRequest>>(rebuild, [
      ['unknown tenant', { tenantId: 'nobody' }, 'NOT_FOUND', 'tenant_id'],
      ['no tenant', { tenantId: '' }, 'INVALID_ARGUMENT', 'tenant_id'],
      [
        'a time in the future',
        { since: { seconds: String(Math.floor(Date.now() / 1000) + 3_600) } },
        'INVALID_ARGUMENT',
        'since',
      ],
    ]);
  });
});
