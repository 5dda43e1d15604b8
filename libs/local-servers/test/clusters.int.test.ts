/**
 * The cluster harness, so later tests can run on real clusters: a 3-node NATS JetStream cluster keeps taking
 * writes to an R3 stream with one node down and has every message once the node is back; a Redis Cluster of 3
 * primaries with replicas spreads keys over all primaries and keeps serving after a primary is killed and its
 * replica promoted.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { startNatsCluster, startRedisCluster, type LocalCluster } from '../src';

const clusters: LocalCluster[] = [];

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.stop()));
});

describe('cluster harness', () => {
  it('NATS: an R3 stream takes writes with one node down, and the node catches up', async () => {
    const nats = await startNatsCluster(3);
    clusters.push(nats);
    const nc = await connect({ servers: nats.url.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3 });
    const js = jetstream(nc);
    // Idempotent publishes (a message id each), retried while the stream elects a new leader if it lost one.
    const publish = async (i: number): Promise<void> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          await js.publish(`r3.${i}`, `m${i}`, { msgID: `m${i}`, timeout: 2_000 });
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50)); // no leader yet: ask again shortly
        }
      }
    };
    for (let i = 0; i < 100; i++) await publish(i);

    // A node the client is not connected to: the stream keeps its quorum (2 of 3) and takes writes.
    const downed = nats.nodes.find((node) => !nc.getServer().endsWith(`:${node.port}`))!;
    await downed.stop('SIGKILL');
    for (let i = 100; i < 200; i++) await publish(i);
    await downed.start();
    expect((await jsm.streams.info('R3')).state.messages).toBe(200);
    const info = await jsm.streams.info('R3');
    expect(info.cluster?.replicas?.length).toBe(2);
    await nc.close();
  });

  it('Redis: keys spread over 3 primaries, and writes go on after a primary fails over', async () => {
    const redis = await startRedisCluster(3, 1);
    clusters.push(redis);
    const seeds = redis.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
    const cluster = new Cluster(seeds, { clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: 5 } });
    for (let i = 0; i < 3_000; i++) await cluster.set(`p:{u${i}}:views`, String(i));
    const masters = cluster.nodes('master');
    expect(masters).toHaveLength(3);
    const sizes = await Promise.all(masters.map((node) => node.dbsize()));
    for (const size of sizes) expect(size).toBeGreaterThan(800);

    const victim = redis.nodes.find((node) => masters[0]!.options.port === node.port)!;
    await victim.stop('SIGKILL');
    // The replica is promoted after cluster-node-timeout (2 s); ioredis follows the new slot map.
    const deadline = Date.now() + 30_000;
    let written = false;
    while (!written && Date.now() < deadline) {
      written = await Promise.all(Array.from({ length: 50 }, (_, i) => cluster.set(`p:{u${i}}:views`, 'after'))).then(
        () => true,
        () => false
      );
    }
    expect(written).toBe(true);
    expect(await cluster.get('p:{u1}:views')).toBe('after');
    cluster.disconnect();
  });
});
