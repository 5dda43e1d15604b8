import { jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildPrefix, featureKeys, RECOMMEND_FEATURES } from '@dmp/features';
import type { Event } from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  encodeEvent,
  ensureStream,
  eventMsgId,
  eventsStream,
  eventSubject,
  FEATURE_STORE_DURABLE,
  JetStreamPublisher,
} from '@dmp/messaging';

import { addTenant, startServers, startService, waitFor, type Servers } from '../../../test/harness';

/**
 * kill -9 of the feature store, again and again, while 20 000 events stream in: whatever was in flight
 * is redelivered (after a 1 s ack wait here) and applied by the next process, some of it for the second
 * time. Counters must come out exact: every event counted once, none lost, none twice.
 */
const EVENTS = 20_000;
const KILLS = 12;
const ITEMS = 10;
const USERS = 200;

let servers: Servers;
let store: ServiceProcess | undefined;
let redis: Redis;

// A short ack wait, so that a killed process's in-flight events come back within the test; few slots, so
// that the consumer waits for free ones all the time.
const startStore = (): Promise<ServiceProcess> =>
  startService('feature-store', servers, { FEATURE_ACK_WAIT_SECONDS: '1', FEATURE_MAX_IN_FLIGHT: '32' });

async function consumerState(): Promise<{ acked: number; pending: number; inFlight: number; redelivered: number }> {
  const info = await (await jetstreamManager(servers.nc)).consumers.info('EVENTS', FEATURE_STORE_DURABLE);
  return {
    acked: info.ack_floor.stream_seq,
    pending: info.num_pending,
    inFlight: info.num_ack_pending,
    redelivered: info.num_redelivered,
  };
}

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await ensureStream(servers.nc, eventsStream(1));
  redis = new Redis(servers.redis.url);
  store = await startStore();
});

afterAll(async () => {
  await store?.stop();
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
    // and the last after all kills: the consumer always has a backlog when it dies, however fast it is on
    // this machine, so every kill lands mid-stream and none waits for progress that cannot come.
    const segment = Math.ceil(EVENTS / (KILLS + 2));
    await publish(0, segment);
    const killedAt: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const from = (await consumerState()).acked;
      await publish((kill + 1) * segment, (kill + 2) * segment);
      await waitFor('progress since the last start', async () => (await consumerState()).acked >= from + 200, 60_000);
      await store!.stop('SIGKILL');
      const state = await consumerState();
      killedAt.push(state.acked);
      store = await startStore();
    }
    await publish((KILLS + 1) * segment, EVENTS);
    await waitFor(
      'every event acked',
      async () => {
        const s = await consumerState();
        return s.pending === 0 && s.inFlight === 0;
      },
      120_000
    );

    // The kills landed while events were still coming, each after the previous one.
    expect(killedAt.every((acked, i) => acked < EVENTS && (i === 0 || acked >= killedAt[i - 1]!))).toBe(true);

    const prefix = buildPrefix('shop', 'b1');
    const popular = await redis.zrange(
      featureKeys.topItems(prefix, RECOMMEND_FEATURES.popularItems, 'tenant', '*'),
      0,
      -1,
      'WITHSCORES'
    );
    const expectedPopular = Array.from({ length: ITEMS }, (_, i) => [`item-${i}`, String(EVENTS / ITEMS)]);
    expect(pairs(popular).sort()).toEqual(expectedPopular.sort());

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

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
