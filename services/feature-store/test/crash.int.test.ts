import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildPrefix, DEFAULT_FEATURES, FeatureReader, featureKeys } from '@dmp/features';
import type { Event } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  encodeEvent,
  ensureStream,
  eventMsgId,
  eventsStream,
  eventSubject,
  featureStoreBacklog,
  JetStreamPublisher,
  PARTITION_LEASES_BUCKET,
} from '@dmp/messaging';

import { addTenant, startServers, startService, waitFor, type Servers } from '../../../test/harness';

/**
 * kill -9 of feature store replicas, again and again, while 20 000 events stream in. Two replicas share the
 * partitions of EVENTS; each kill leaves the killed replica's partitions with events pulled but not acked,
 * which the restarted replica (or the other one) takes over once the leases expire, from the first unacked
 * event, some of them applied for the second time. Counters must come out exact: every event counted once,
 * none lost, none twice.
 */
const EVENTS = 20_000;
const KILLS = 12;
const ITEMS = 10;
const USERS = 200;

let servers: Servers;
const stores: (ServiceProcess | undefined)[] = [undefined, undefined];
let redis: Redis;

// Short leases and ack waits, so that a killed replica's partitions come back within the test; small batches,
// so that each partition has events in hand most of the time.
const startStore = (): Promise<ServiceProcess> =>
  startService('feature-store', servers, {
    FEATURE_ACK_WAIT_SECONDS: '1',
    PARTITION_LEASE_SECONDS: '2',
    FEATURE_PARTITION_BATCH: '16',
  });

/** Events the feature store has finished (acked), and those still to do, over all partitions. */
async function progress(): Promise<{ done: number; backlog: number }> {
  const stored = (await (await jetstreamManager(servers.nc)).streams.info('EVENTS')).state.messages;
  const backlog = (await featureStoreBacklog(servers.nc)) ?? stored;
  return { done: stored - backlog, backlog };
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await ensureStream(servers.nc, eventsStream(1, 8));
  redis = new Redis(servers.redis.url);
  stores[0] = await startStore();
  stores[1] = await startStore();
});

afterAll(async () => {
  for (const store of stores) await store?.stop();
  await redis?.quit();
  await servers?.stop();
});

describe('feature store under kill -9', () => {
  it(`keeps counters exact across ${KILLS} kills during ${EVENTS} events`, { timeout: 180_000 }, async () => {
    const publisher = new JetStreamPublisher(servers.nc, 10_000);
    const now = { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 };
    const publish = async (from: number, to: number): Promise<void> => {
      for (let start = from; start < to; start += 500) {
        const batch = Array.from({ length: Math.min(500, to - start) }, (_, k) => {
          const i = start + k;
          const event: Event = {
            eventId: `crash-${i}`,
            tenantId: 'shop',
            type: 'view',
            identities: { userId: `user-${i % USERS}` },
            itemIds: [`item-${i % ITEMS}`],
            occurredAt: now,
            receivedAt: now,
          };
          return {
            subject: eventSubject('shop', 'view', `user-${i % USERS}`),
            data: encodeEvent(event),
            msgID: eventMsgId('shop', event.eventId!),
          };
        });
        const results = await publisher.publishAll(batch);
        expect(results.filter((r) => r instanceof Error)).toEqual([]);
      }
    };

    // The events go out in one segment per kill (plus two), each published just before the kill it precedes
    // and the last after all kills: the store always has a backlog when a replica dies, however fast it is
    // on this machine, so every kill lands mid-stream and none waits for progress that cannot come.
    const segment = Math.ceil(EVENTS / (KILLS + 2));
    await publish(0, segment);
    for (let kill = 0; kill < KILLS; kill++) {
      const from = (await progress()).done;
      await publish((kill + 1) * segment, (kill + 2) * segment);
      await waitFor('progress since the last kill', async () => (await progress()).done >= from + 200, 60_000);
      const victim = kill % 2;
      await stores[victim]!.stop('SIGKILL');
      stores[victim] = await startStore();
    }
    await publish((KILLS + 1) * segment, EVENTS);
    await waitFor('every event acked', async () => (await progress()).backlog === 0, 120_000);

    // The two live replicas share the partitions at the end: every lease current, held by one of two owners.
    const leases = await new Kvm(servers.nc).open(PARTITION_LEASES_BUCKET);
    await waitFor('both replicas hold partitions', async () => {
      const owners = new Set<string>();
      let current = 0;
      for await (const key of await leases.keys('feature-store.>')) {
        const entry = await leases.get(key);
        if (entry?.operation !== 'PUT') continue;
        const lease = entry.json<{ owner: string; untilMs: number }>();
        if (lease.untilMs > Date.now()) current++;
        owners.add(lease.owner);
      }
      return current === 8 && owners.size === 2;
    });

    const prefix = buildPrefix('shop', 'b1');
    const popular = await new FeatureReader(redis, {
      featuresFor: () => ({ features: new Map(DEFAULT_FEATURES.features.map((f) => [f.name, f])) }),
      activeBuild: () => 'b1',
    }).popular('shop', ITEMS + 1);
    const expectedPopular = Array.from({ length: ITEMS }, (_, i) => ({ itemId: `item-${i}`, score: EVENTS / ITEMS }));
    expect(popular.sort((a, b) => (a.itemId < b.itemId ? -1 : 1))).toEqual(expectedPopular);

    // Every user's 24-hour view ring, summed: exactly their share of the events.
    const rings = await Promise.all(
      Array.from({ length: USERS }, (_, u) =>
        redis.hgetBuffer(featureKeys.entity(prefix, 'user', `user-${u}`), 'user.views_24h')
      )
    );
    const sums = rings.map((ring) => {
      let sum = 0;
      for (let slot = 0; ring && slot < ring.length / 12; slot++) sum += ring.readDoubleLE(slot * 12 + 4);
      return sum;
    });
    expect(new Set(sums)).toEqual(new Set([EVENTS / USERS]));
  });
});
