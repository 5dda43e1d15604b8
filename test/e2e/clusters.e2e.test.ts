/**
 * The platform on real clusters: a 3-node NATS JetStream cluster (EVENTS with 3 replicas) and a Redis Cluster of
 * 3 primaries with replicas. Events go in, features come out and Recommend answers; the primary holding the
 * tenant's keys is killed and its replica promoted, then a NATS node is killed, and the events sent after each
 * are applied too, each once.
 */
import { spawnSync } from 'node:child_process';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { storeApiKey } from '@dmp/access';
import { createTenant } from '@dmp/messaging';
import type { ServiceProcess } from '@dmp/local-servers';

import {
  callUnary,
  clients,
  publishModels,
  startNatsCluster,
  startRedisCluster,
  startService,
  TEST_API_KEY_RECORD,
  userFeature,
  waitFor,
  type LocalCluster,
} from '../harness';

let nats: LocalCluster;
let redis: LocalCluster;
let nc: NatsConnection;
const services: Record<string, ServiceProcess> = {};
const USERS = 20;

const views = (batch: number) =>
  Array.from({ length: USERS * 5 }, (_, i) => ({
    eventId: `b${batch}-${i}`,
    type: 'view',
    identities: { userId: `u${i % USERS}` },
    itemIds: [`i${i % 7}`],
  }));

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNatsCluster(3), startRedisCluster(3, 1)]);
  nc = await connect({ servers: nats.url.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  await storeApiKey(nc, TEST_API_KEY_RECORD);
  await createTenant(nc, 'shop');
  await publishModels(nc);
  // Every node of each cluster as seeds: the services find the rest themselves.
  const servers = { nats, redis };
  const env = { EVENTS_STREAM_REPLICAS: '3' };
  services['event-intake'] = await startService('event-intake', servers, env);
  services['feature-store'] = await startService('feature-store', servers, env);
  services['decisioning'] = await startService('decisioning', servers, env);
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await nc?.close();
  await Promise.all([nats?.stop(), redis?.stop()]);
});

describe('the platform on a NATS cluster and a Redis Cluster', () => {
  it('applies events, serves, and goes on applying each event once after a Redis primary and a NATS node fail', async () => {
    const intake = clients.intake(services['event-intake']!.address, { defaultDeadlineMs: 10_000 });
    const store = clients.featureStore(services['feature-store']!.address, { defaultDeadlineMs: 5_000 });
    const decisioning = clients.decisioning(services['decisioning']!.address, { defaultDeadlineMs: 5_000 });
    const viewsOf = (user: string) => userFeature(store, 'shop', user, 'user.views_7d');
    /** True once every user has `views`; fails at once if one has more (an event applied twice). */
    const everyUserHas = async (views: number): Promise<boolean> => {
      const counts = await Promise.all(Array.from({ length: USERS }, (_, user) => viewsOf(`u${user}`)));
      for (const count of counts) expect(count ?? 0).toBeLessThanOrEqual(views);
      return counts.every((count) => count === views);
    };
    try {
      await callUnary((done) => intake.Ingest({ tenantId: 'shop', events: views(1) }, done));
      await waitFor('the first views applied', () => everyUserHas(5));
      await callUnary((done) => decisioning.Recommend({ tenantId: 'shop', userId: 'u0', n: 3 }, done));

      // The primary that holds tenant shop's slot, once its replica has every write (WAIT), is killed.
      const seeds = redis.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
      const cluster = new Cluster(seeds);
      const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', '{shop}'));
      const ranges = (await cluster.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const primaryPort = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
      cluster.disconnect();
      const cli = (port: number, ...args: string[]) =>
        spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
      expect(Number(cli(primaryPort, 'WAIT', '1', '5000'))).toBeGreaterThanOrEqual(1);
      await redis.nodes.find((node) => node.port === primaryPort)!.stop('SIGKILL');

      await callUnary((done) => intake.Ingest({ tenantId: 'shop', events: views(2) }, done));
      // Applied once each after the failover: 10 views per user, not 5 (lost) nor more (applied twice). Users are
      // in different partitions of EVENTS, each consumed at its own pace.
      await waitFor('the second views applied after the failover', () => everyUserHas(10), 60_000);
      await callUnary((done) => decisioning.Recommend({ tenantId: 'shop', userId: 'u0', n: 3 }, done));

      // One NATS node killed: EVENTS keeps its quorum, services on that node reconnect to the others. Intake may
      // answer UNAVAILABLE meanwhile; the batch is sent again (same event ids: stored and applied once).
      await nats.nodes[0]!.stop('SIGKILL');
      await waitFor('the third batch accepted with a NATS node down', () =>
        callUnary((done) => intake.Ingest({ tenantId: 'shop', events: views(3) }, done)).then(
          () => true,
          () => false
        )
      );
      await waitFor('the third views applied', () => everyUserHas(15), 60_000);
    } finally {
      for (const client of [intake, store, decisioning]) client.close();
    }
  });
});
