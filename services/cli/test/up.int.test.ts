/**
 * `dmp up` on a machine where its ports are taken by something else: it must say which port, what holds it
 * where it knows, and what to do, before it starts anything, and leave the other programs alone.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterEach, describe, expect, it } from 'vitest';

import { canListen, freePort } from '@dmp/local-servers';

import { REPO_ROOT } from '../../../test/harness';

const exec = promisify(execFile);
const CLI = join(REPO_ROOT, 'services', 'cli', 'dist', 'main.js');

const squatters: Server[] = [];
const connections = new Set<Socket>();

/** Something that is not ours listening on `port`: it greets every connection with `greeting` and hangs up. */
async function squat(port: number, greeting = ''): Promise<void> {
  const server = createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    socket.on('error', () => undefined); // a prober that resets the connection is no concern of ours
    socket.end(greeting);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  squatters.push(server);
}

/** The ports from `base` to base+40 that something listens on: all `dmp up` could have opened. */
async function listeningFrom(base: number): Promise<number[]> {
  const free = await Promise.all(Array.from({ length: 41 }, (_, i) => canListen(base + i)));
  return free.flatMap((isFree, i) => (isFree ? [] : [base + i]));
}

/** A DMP_PORT_BASE whose 41 ports are all free (below the ephemeral range other tests take ports from). */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + 100 * Math.floor(Math.random() * 120);
    if ((await listeningFrom(base)).length === 0) return base;
  }
}

/** Runs `dmp up --demo`; it must fail. Returns what it printed. */
async function upFails(env: Record<string, string>): Promise<string> {
  const result = await exec(process.execPath, [CLI, 'up', '--demo'], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  }).then(
    () => undefined,
    (error: { code?: number; stdout: string; stderr: string }) => error
  );
  expect(result, 'dmp up must fail').toBeDefined();
  expect(result!.code).toBe(1);
  return `${result!.stdout}${result!.stderr}`;
}

afterEach(async () => {
  for (const socket of connections) socket.destroy();
  await Promise.all(squatters.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('dmp up with its ports taken', () => {
  it('names every taken port and how to move them all, and starts nothing', async () => {
    const base = await freeBase();
    await squat(base + 1); // event-intake's gRPC port
    await squat(base + 14); // decisioning's metrics port
    const natsPort = await freePort();
    const said = await upFails({
      DMP_PORT_BASE: String(base),
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    expect(said).toContain(`port ${base + 1} (event-intake gRPC) is taken by another process`);
    expect(said).toContain(`port ${base + 14} (decisioning metrics) is taken by another process`);
    expect(said).not.toContain(`port ${base + 2} `);
    expect(said).toContain(`ss -ltnp 'sport = :${base + 1}'`);
    expect(said).toContain(`DMP_PORT_BASE=${base + 1000} npx --yes pnpm@10.28.1 start`);
    // Nothing was started (no port of dmp up's, nor NATS's, is open), and the programs holding ports still do.
    expect(await listeningFrom(base)).toEqual([base + 1, base + 14]);
    expect(await canListen(natsPort)).toBe(true);
  });

  it('says so when NATS_URL or REDIS_URL lead to something that is not NATS or Redis', async () => {
    const base = await freeBase();
    const [natsPort, redisPort] = [await freePort(), await freePort()];
    await squat(natsPort, 'HTTP/1.1 400 Bad Request\r\n\r\n');
    await squat(redisPort); // accepts and hangs up
    const said = await upFails({
      DMP_PORT_BASE: String(base),
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
    expect(said).toContain(`NATS_URL nats://127.0.0.1:${natsPort}: port ${natsPort} answers, but not as NATS`);
    expect(said).toContain(`REDIS_URL redis://127.0.0.1:${redisPort}: port ${redisPort} answers, but not as Redis`);
    expect(said).toContain('point NATS_URL at a NATS server, or at a free port for dmp up to start one on');
    expect(await listeningFrom(base)).toEqual([]);
  });

  it('refuses a DMP_PORT_BASE that is not a port', async () => {
    const said = await upFails({ DMP_PORT_BASE: '80' });
    expect(said).toContain('DMP_PORT_BASE must be a whole number from 1024 to 65495, got "80"');
  });
});
