import { spawn } from 'node:child_process';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { storeApiKey } from '@dmp/access';
import { buildPrefix, featureKeys } from '@dmp/features';
import type { Event, GetFeaturesResponse__Output } from '@dmp/grpc';
import { startNatsServer, type LocalServer, type ServiceProcess } from '@dmp/local-servers';
import {
  createTenant,
  encodeEvent,
  ensureStream,
  eventMsgId,
  eventsStream,
  eventSubject,
  featureStoreBacklog,
  JetStreamPublisher,
} from '@dmp/messaging';

import {
  callUnary,
  clients,
  metricValue,
  TEST_API_KEY_RECORD,
  startRedisCluster,
  startService,
  waitFor,
  type LocalCluster,
} from '../../../test/harness';

/**
 * Redis replicates asynchronously: a primary that dies takes with it the writes its replica had not received yet,
 * though it had answered them, and NATS had their events acked. Here the replica of one of the primaries holding
 * the tenant's features is stalled (DEBUG SLEEP) while events are applied, then the primary is killed and the
 * stalled replica promoted without them. The feature store finds the watermarks of that primary's key groups
 * behind what it applied and reads those events again: every count comes out exact.
 */
const USERS = 50;
let nats: LocalServer;
let redis: LocalCluster;
let nc: NatsConnection;
let store: ServiceProcess;
let sent = 0;

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNatsServer(), startRedisCluster(3, 1)]);
  nc = await connect({ servers: nats.url });
  await storeApiKey(nc, TEST_API_KEY_RECORD);
  await createTenant(nc, 'shop');
  await ensureStream(nc, eventsStream(1, 4));
  store = await startService('feature-store', { nats, redis });
});

afterAll(async () => {
  await store?.stop();
  await nc?.close();
  await Promise.all([nats?.stop(), redis?.stop()]);
});

async function publish(count: number): Promise<void> {
  const publisher = new JetStreamPublisher(nc, 10_000);
  const now = { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 };
  const batch = Array.from({ length: count }, () => {
    const i = sent++;
    const event: Event = {
      eventId: `fo-${i}`,
      tenantId: 'shop',
      type: 'view',
      identities: { userId: `u${i % USERS}` },
      itemIds: [`item-${i % 7}`],
      occurredAt: now,
      receivedAt: now,
    };
    return {
      subject: eventSubject('shop', 'view', `u${i % USERS}`),
      data: encodeEvent(event),
      msgID: eventMsgId('shop', event.eventId!),
    };
  });
  const results = await publisher.publishAll(batch);
  publisher.close();
  expect(results.filter((r) => r instanceof Error)).toEqual([]);
}

const caughtUp = () =>
  waitFor(
    'the feature store caught up',
    async () => (await featureStoreBacklog(nc).catch(() => undefined)) === 0,
    60_000
  );

describe('feature store across a Redis failover that loses acknowledged writes', () => {
  it('reads again what the promoted replica never had, and counts every event once', { timeout: 120_000 }, async () => {
    await publish(500);
    await caughtUp();

    // The primary of the slot holding user u0's features (about a third of the tenant's), and its replica.
    const cluster = new Cluster(redis.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })));
    const u0 = featureKeys.entity(buildPrefix('shop', 'b1'), 'user', 'u0');
    const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', u0));
    type Range = [number, number, [string, number], [string, number]?];
    let range: Range | undefined;
    // CLUSTER SLOTS lists a replica once its primary counts it online.
    await waitFor('the slot served by a primary and its replica', async () => {
      const ranges = (await cluster.call('CLUSTER', 'SLOTS')) as Range[];
      range = ranges.find(([from, to]) => slot >= from && slot <= to);
      return range?.[3] !== undefined;
    });
    const [primaryPort, replicaPort] = [range![2][1], range![3]![1]];
    cluster.disconnect();

    // The replica stalls for 6 s, its link cut; meanwhile 300 events are applied (and acked) on the primary alone.
    const replica = new Redis({ port: replicaPort, commandTimeout: 200, maxRetriesPerRequest: 0 });
    replica.on('error', () => undefined);
    expect(await replica.call('DEBUG', 'SLEEP', '0')).toBe('OK'); // DEBUG is allowed on the test's nodes
    spawn('redis-cli', ['-p', String(replicaPort), 'DEBUG', 'SLEEP', '6'], { stdio: 'ignore' });
    await waitFor(
      'the replica asleep',
      () =>
        replica.ping().then(
          () => false,
          () => true
        ),
      5_000
    );
    replica.disconnect();
    // Its link cut too (what it had received it keeps; the asleep replica cannot reconnect).
    const primary = new Redis({ port: primaryPort });
    expect(Number(await primary.call('CLIENT', 'KILL', 'TYPE', 'replica'))).toBe(1);
    primary.disconnect();
    await publish(300);
    await caughtUp();
    await redis.nodes.find((node) => node.port === primaryPort)!.stop('SIGKILL');

    // The replica wakes, is promoted without those writes; events keep coming to the same partitions.
    await publish(200);
    await caughtUp();

    const features = clients.featureStore(store.address, { defaultDeadlineMs: 10_000 });
    const users = Array.from({ length: USERS }, (_, u) => `u${u}`);
    await waitFor(
      'every view counted once',
      async () => {
        const response = await callUnary<GetFeaturesResponse__Output>((done) =>
          features.GetFeatures(
            { tenantId: 'shop', entityType: 'ENTITY_TYPE_USER', entityIds: users, featureNames: ['user.views_7d'] },
            done
          )
        ).catch(() => undefined);
        return response?.entities.every((e) => e.values[0]?.numberValue === sent / USERS) ?? false;
      },
      60_000
    );
    features.close();
    // The loss happened, and was found.
    expect(await metricValue(store.metricsPort, 'feature_store_writes_lost_total')).toBeGreaterThan(0);
  });
});
