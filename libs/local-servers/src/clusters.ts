import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';

import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import { findBinary, freePort, startNatsServer, startRedisServer, type LocalServer } from './servers';

/**
 * Real clusters on loopback, from the same binaries as single servers: a Redis Cluster of primaries with
 * replicas, and a NATS JetStream cluster for R3 streams. For tests of what a single server hides: keys spread
 * over slots, a primary failing over, a NATS node lost under replicated streams.
 */
export interface LocalCluster {
  nodes: LocalServer[];
  /** Comma-separated URLs of every node (NATS_URL), or of the Redis seed nodes. */
  url: string;
  stop(): Promise<void>;
}

/** Polls `ready` (a harness wait for an observable state, not a sleep) until it holds, or throws after `ms`. */
async function until(what: string, ready: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`cluster: ${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `nodes` nats-servers with JetStream, routed to each other: streams with num_replicas 3 are Raft groups. */
export async function startNatsCluster(nodes = 3): Promise<LocalCluster> {
  const clusterPorts = await Promise.all(Array.from({ length: nodes }, () => freePort()));
  const servers = await Promise.all(
    clusterPorts.map((port) => startNatsServer({ cluster: { name: 'dmp-test', port, routes: clusterPorts } }))
  );
  const url = servers.map((s) => s.url).join(',');
  // Ready when JetStream answers through every node: the meta leader is elected and every node sees it.
  for (const server of servers) {
    await until(`JetStream through ${server.url}`, async () => {
      const nc = await connect({ servers: server.url }).catch(() => undefined);
      if (!nc) return false;
      try {
        await (await jetstreamManager(nc, { timeout: 1_000 })).getAccountInfo();
        return true;
      } catch {
        return false;
      } finally {
        await nc.close();
      }
    });
  }
  return { nodes: servers, url, stop: async () => void (await Promise.all(servers.map((s) => s.stop()))) };
}

/** `primaries` Redis primaries with `replicas` replicas each, slots spread by redis-cli --cluster create. */
export async function startRedisCluster(primaries = 3, replicas = 1): Promise<LocalCluster> {
  const count = primaries * (1 + replicas);
  const servers = await Promise.all(Array.from({ length: count }, () => startRedisServer({ clusterNode: true })));
  const cli = join(dirname(findBinary('redis-server', 'REDIS_SERVER_BIN')), 'redis-cli');
  const created = spawnSync(
    cli,
    [
      '--cluster',
      'create',
      ...servers.map((s) => `127.0.0.1:${s.port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ],
    { encoding: 'utf8', timeout: 60_000 }
  );
  if (created.status !== 0) {
    await Promise.all(servers.map((s) => s.stop()));
    throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  }
  // Ready when every node agrees the cluster is whole (all slots served) and every replica is in sync with its
  // primary: a replica that never synced cannot take over when its primary fails.
  const ask = (port: number, ...command: string[]) =>
    spawnSync(cli, ['-p', String(port), ...command], { encoding: 'utf8' }).stdout;
  for (const server of servers) {
    await until(`cluster_state:ok on ${server.port}`, () => {
      const info = ask(server.port, 'cluster', 'info');
      return info.includes('cluster_state:ok') && info.includes(`cluster_size:${primaries}`);
    });
    await until(`replication on ${server.port}`, () => {
      const info = ask(server.port, 'info', 'replication');
      return info.includes('role:master') || info.includes('master_link_status:up');
    });
  }
  return {
    nodes: servers,
    url: servers.map((s) => s.url).join(','),
    stop: async () => void (await Promise.all(servers.map((s) => s.stop()))),
  };
}
