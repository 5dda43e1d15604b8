import * as grpc from '@grpc/grpc-js';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Redis } from 'ioredis';

import { readSimilarItems, similarItemsKey } from '@dmp/features';
import type {
  Event,
  FeatureStoreServiceClient,
  GetFeaturesRequest,
  GetFeaturesResponse__Output,
  PutSimilarItemsRequest,
  PutSimilarItemsResponse__Output,
} from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  encodeEvent,
  ensureStream,
  eventMsgId,
  eventsStream,
  DEFAULT_EVENT_PARTITIONS,
  eventPartitionsOf,
  eventSubject,
  FEATURE_STORE_DURABLE,
  featureStoreBacklog,
} from '@dmp/messaging';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  expectRejected,
  metricValue,
  rpcError,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

let servers: Servers;
let store: ServiceProcess;
let client: FeatureStoreServiceClient;
let n = 0;

const view = (userId: string, itemIds: string[], eventId = `ev-${++n}`): Event => ({
  eventId,
  tenantId: 'shop',
  type: 'view',
  identities: { userId },
  itemIds,
  occurredAt: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 },
  receivedAt: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 },
});

/** Publishes as intake does; `msgId` overrides the dedupe id (a replay after the window has a new one). */
async function publish(event: Event, msgId = eventMsgId('shop', event.eventId!)): Promise<void> {
  await jetstream(servers.nc).publish(eventSubject('shop', 'view', event.identities!.userId!), encodeEvent(event), {
    msgID: msgId,
  });
}

const getFeatures = (request: Partial<GetFeaturesRequest>): Promise<GetFeaturesResponse__Output> =>
  callUnary<GetFeaturesResponse__Output>((done) =>
    client.GetFeatures({ tenantId: 'shop', entityType: 'ENTITY_TYPE_ITEM', ...request }, done)
  );

const putSimilarItems = (request: Partial<PutSimilarItemsRequest>): Promise<PutSimilarItemsResponse__Output> =>
  callUnary<PutSimilarItemsResponse__Output>((done) => client.PutSimilarItems({ tenantId: 'shop', ...request }, done));

async function interactions(itemId: string): Promise<number | undefined> {
  const response = await getFeatures({ entityIds: [itemId], featureNames: ['item.interactions'] });
  const value = response.entities[0]!.values[0]!;
  return value.status === 'FEATURE_STATUS_PRESENT' ? value.numberValue : undefined;
}

async function consumerDrained(): Promise<boolean> {
  return (await featureStoreBacklog(servers.nc)) === 0;
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await ensureStream(servers.nc, eventsStream(1));
  store = await startService('feature-store', servers);
  client = clients.featureStore(store.address);
});

afterAll(async () => {
  client?.close();
  await store?.stop();
  await servers?.stop();
});

describe('feature-store against real NATS JetStream and Redis', () => {
  it('turns stream events into features that GetFeatures serves', async () => {
    await publish(view('alice', ['p1']));
    await publish(view('alice', ['p2']));
    await publish(view('bob', ['p1']));
    await waitFor('p1 counted twice', async () => (await interactions('p1')) === 2);

    const user = await getFeatures({
      entityType: 'ENTITY_TYPE_USER',
      entityIds: ['alice', 'nobody'],
      featureNames: ['user.recent_items'],
    });
    // Recent items come newest first, each scored with the time of its latest event (ms).
    const recent = user.entities[0]!.values[0]!;
    expect(recent.status).toBe('FEATURE_STATUS_PRESENT');
    expect(recent.scoredItemListValue!.items.map((i) => i.itemId)).toEqual(['p2', 'p1']);
    expect(recent.scoredItemListValue!.items[0]!.score).toBeGreaterThan(Date.now() - 60_000);
    expect(user.entities[1]!.values[0]!.status).toBe('FEATURE_STATUS_MISSING');

    const item = await getFeatures({ entityIds: ['p1'], featureNames: ['item.interactions', 'item.also_used'] });
    expect(item.entities[0]!.values[1]!.scoredItemListValue!.items).toEqual([{ itemId: 'p2', score: 1 }]);
    expect(Number(item.entities[0]!.values[0]!.eventTime!.seconds)).toBeGreaterThan(0);
  });

  it('applies each stored event once, however late it is delivered again', async () => {
    await publish(view('carol', ['r1']));
    await waitFor('r1 applied', async () => (await interactions('r1')) === 1);
    await waitFor('consumer drained', consumerDrained);
    const p1 = await interactions('p1');

    // Every ack lost: the partition consumers are gone, so the next replica starts each partition from the
    // first event in the stream, days later as far as it can tell. No dedupe mark remembers them.
    await store.stop('SIGTERM');
    const jsm = await jetstreamManager(servers.nc);
    const stored = (await jsm.streams.info('EVENTS')).state.messages;
    for await (const consumer of jsm.consumers.list('EVENTS')) {
      if (consumer.name.startsWith(`${FEATURE_STORE_DURABLE}-p`)) await jsm.consumers.delete('EVENTS', consumer.name);
    }
    const redis = new Redis(servers.redis.url);
    expect(await redis.keys('fs:*:seen:*')).toEqual([]);
    await redis.quit();
    store = await startService('feature-store', servers);
    client = clients.featureStore(store.address);
    await waitFor('consumer drained', consumerDrained);

    expect(await metricValue(store.metricsPort, 'feature_store_events_total', { outcome: 'duplicate' })).toBe(stored);
    expect(await interactions('r1')).toBe(1);
    expect(await interactions('p1')).toBe(p1);
  });

  it('answers bad requests with INVALID_ARGUMENT or NOT_FOUND naming the field, and stays up', async () => {
    await expectRejected<Partial<GetFeaturesRequest>>(getFeatures, [
      [
        'unknown tenant',
        { tenantId: 'nobody', entityIds: ['x'], featureNames: ['item.interactions'] },
        'NOT_FOUND',
        'tenant_id',
      ],
      [
        'missing tenant',
        { tenantId: '', entityIds: ['x'], featureNames: ['item.interactions'] },
        'INVALID_ARGUMENT',
        'tenant_id',
      ],
      [
        'no entity type',
        { entityType: 'ENTITY_TYPE_UNSPECIFIED', entityIds: ['x'], featureNames: ['item.interactions'] },
        'INVALID_ARGUMENT',
        'entity_type',
      ],
      ['no entities', { entityIds: [], featureNames: ['item.interactions'] }, 'INVALID_ARGUMENT', 'entity_ids'],
      [
        'missing id',
        { entityIds: ['ok', ''], featureNames: ['item.interactions'] },
        'INVALID_ARGUMENT',
        'entity_ids[1]',
      ],
      [
        'too many entities',
        { entityIds: Array.from({ length: 1001 }, (_, i) => `i${i}`), featureNames: ['item.interactions'] },
        'INVALID_ARGUMENT',
        'entity_ids',
      ],
      ['no features', { entityIds: ['x'], featureNames: [] }, 'INVALID_ARGUMENT', 'feature_names'],
      [
        'unknown feature',
        { entityIds: ['x'], featureNames: ['item.interactions', 'item.magic'] },
        'INVALID_ARGUMENT',
        'feature_names[1]',
      ],
      [
        'feature of another entity',
        { entityIds: ['x'], featureNames: ['user.recent_items'] },
        'INVALID_ARGUMENT',
        'feature_names[0]',
      ],
    ]);
    expect(await checkHealth(store.address)).toBe('SERVING');
  });

  it('publishes similarity lists: each item’s list replaced whole, bad rows refused naming the field', async () => {
    const put = putSimilarItems;
    const redis = new Redis(servers.redis.url);
    try {
      const first = await put({
        items: [
          {
            itemId: 'a',
            neighbours: [
              { itemId: 'b', score: 0.9 },
              { itemId: 'c', score: 0.4 },
            ],
          },
          { itemId: 'b', neighbours: [{ itemId: 'a', score: 0.9 }] },
        ],
      });
      expect(first.itemsWritten).toBe(2);
      expect(await readSimilarItems(redis, 'shop', ['a', 'b', 'none'], 10)).toEqual([
        [
          { itemId: 'b', score: 0.9 },
          { itemId: 'c', score: 0.4 },
        ],
        [{ itemId: 'a', score: 0.9 }],
        [],
      ]);
      // A new table replaces a's list whole (c is gone), and an empty list deletes b's.
      await put({
        items: [
          { itemId: 'a', neighbours: [{ itemId: 'd', score: 0.5 }] },
          { itemId: 'b', neighbours: [] },
        ],
      });
      expect(await readSimilarItems(redis, 'shop', ['a', 'b'], 10)).toEqual([[{ itemId: 'd', score: 0.5 }], []]);
      expect(await redis.ttl(similarItemsKey('shop', 'a'))).toBeGreaterThan(29 * 86_400);
    } finally {
      await redis.quit();
    }
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ itemId: `n${i}`, score: 1 }));
    await expectRejected(put, [
      ['unknown tenant', { tenantId: 'nobody', items: [{ itemId: 'a', neighbours: [] }] }, 'NOT_FOUND', 'tenant_id'],
      ['no rows', { items: [] }, 'INVALID_ARGUMENT', 'items'],
      ['bad item id', { items: [{ itemId: 'a b', neighbours: [] }] }, 'INVALID_ARGUMENT', 'items[0].item_id'],
      [
        'too many neighbours',
        { items: [{ itemId: 'a', neighbours: tooMany }] },
        'INVALID_ARGUMENT',
        'items[0].neighbours',
      ],
      [
        'itself as neighbour',
        { items: [{ itemId: 'a', neighbours: [{ itemId: 'a', score: 1 }] }] },
        'INVALID_ARGUMENT',
        'items[0].neighbours[0].item_id',
      ],
      [
        'score not a number',
        { items: [{ itemId: 'a', neighbours: [{ itemId: 'b', score: Number.NaN }] }] },
        'INVALID_ARGUMENT',
        'items[0].neighbours[0].score',
      ],
    ]);
  });

  it('is NOT_SERVING while Redis is down, loses no event meanwhile, and recovers', async () => {
    await servers.redis.stop();
    await waitFor('NOT_SERVING', async () => (await checkHealth(store.address)) === 'NOT_SERVING');
    expect(grpc.status[(await rpcError(interactions('p1'))).code]).toBe('UNAVAILABLE');
    const similar = putSimilarItems({ items: [{ itemId: 'a', neighbours: [{ itemId: 'b', score: 1 }] }] });
    expect(grpc.status[(await rpcError(similar)).code]).toBe('UNAVAILABLE');

    const during = Array.from({ length: 20 }, (_, i) => view(`d${i}`, ['during-outage']));
    for (const e of during) await publish(e);
    // Redis comes back empty (no persistence in this test): only the events published since count.
    await servers.redis.start();
    await waitFor('SERVING again', async () => (await checkHealth(store.address)) === 'SERVING');
    await waitFor('events from the outage applied', async () => (await interactions('during-outage')) === 20);
    await waitFor('consumer drained', consumerDrained);
  });

  it('applies every event exactly once across a SIGTERM and restart under load', async () => {
    const items = ['k1', 'k2', 'k3', 'k4'];
    const total = 4_000;
    const publishing = (async () => {
      for (let i = 0; i < total; i++) await publish(view(`load-${i % 97}`, [items[i % items.length]!]));
    })();
    await waitFor('some applied', async () => ((await interactions('k1')) ?? 0) > 100);
    expect(await store.stop('SIGTERM')).toBe(0);
    store = await startService('feature-store', servers);
    client = clients.featureStore(store.address);
    await publishing;
    await waitFor('all applied', consumerDrained, 60_000);
    for (const item of items) expect(await interactions(item)).toBe(total / items.length);
  });
});

describe('stream consumer declaration', () => {
  it('is one durable, explicit-ack consumer per partition of EVENTS, never giving an event up', async () => {
    const jsm = await jetstreamManager(servers.nc);
    const partitions = eventPartitionsOf((await jsm.streams.info('EVENTS')).config);
    expect(partitions).toBe(DEFAULT_EVENT_PARTITIONS);
    for (let p = 0; p < partitions; p++) {
      const info = await jsm.consumers.info('EVENTS', `${FEATURE_STORE_DURABLE}-p${p}`);
      expect(info.config.ack_policy).toBe(AckPolicy.Explicit);
      expect(info.config.filter_subject).toBe(`events.v1.*.*.*.${p}`);
      expect(info.config.max_deliver).toBe(-1);
    }
  });
});
