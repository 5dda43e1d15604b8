import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Real nats-server and redis-server processes on loopback, for tests, benchmarks and `dmp up` (there is
 * no Docker engine on our machines). Each server runs in its own temporary folder with its log file, and
 * can be stopped and started again on the same port and data, to test what happens while it is down.
 */
export interface LocalServer {
  readonly name: 'nats-server' | 'redis-server';
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly logFile: string;
  /** The running process's pid, undefined while stopped. */
  readonly pid: number | undefined;
  /** Stops the process (SIGTERM, or the given signal) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data folder, and waits until it serves. */
  start(): Promise<void>;
}

/** A free TCP port on loopback, as the OS hands it out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` could be bound on every interface, as our services bind: false if anything listens on it. */
export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Finds a server binary: the path in `envVar`, else the Go bin folder (where `go install` puts the
 * current nats-server), else PATH. Throws with the install command when it is nowhere.
 */
export function findBinary(name: 'nats-server' | 'redis-server', envVar: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const goBin = join(process.env['GOPATH'] ?? join(homedir(), 'go'), 'bin', name);
  const candidates = [goBin, ...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, name))];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    const install =
      name === 'nats-server'
        ? 'go install github.com/nats-io/nats-server/v2@v2.12.15 (or: apt-get install nats-server)'
        : 'apt-get install redis-server';
    throw new Error(`${name} not found in ${goBin} or on PATH; install it: ${install}, or set ${envVar}`);
  }
  return found;
}

/** The version a server binary reports, e.g. "v2.12.15". */
export function binaryVersion(path: string): string {
  const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return (out.stdout || out.stderr).trim().split('\n')[0] ?? 'unknown';
}

/**
 * Ctrl-C in a terminal signals the whole foreground process group at once. A parent that stops its children
 * in order (services before the servers they drain into, as `dmp up` does) starts them in a group of their own.
 */
interface ProcessGroupOption {
  ownProcessGroup?: boolean;
}

export interface NatsServerOptions extends ProcessGroupOption {
  port?: number;
  /** fsync every write before acknowledging it (sync_interval: always). Needs nats-server 2.10+. */
  syncAlways?: boolean;
  /** Appended to the configuration, e.g. an `authorization` block with users. */
  extraConfig?: string;
  /** A node of a JetStream cluster: its name, its cluster port, and the cluster ports of every node (routes). */
  cluster?: { name: string; port: number; routes: number[] };
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<LocalServer> {
  const binary = findBinary('nats-server', 'NATS_SERVER_BIN');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'dmp-nats-'));
  const config = join(dir, 'nats.conf');
  writeFileSync(
    config,
    [
      `listen: 127.0.0.1:${port}`,
      `server_name: dmp-local-${port}`,
      ...(options.cluster
        ? [
            'cluster {',
            `  name: ${options.cluster.name}`,
            `  listen: 127.0.0.1:${options.cluster.port}`,
            `  routes: [${options.cluster.routes.map((p) => `"nats-route://127.0.0.1:${p}"`).join(', ')}]`,
            '}',
          ]
        : []),
      'jetstream {',
      `  store_dir: "${join(dir, 'jetstream')}"`,
      ...(options.syncAlways ? ['  sync_interval: always'] : []),
      '}',
      options.extraConfig ?? '',
    ].join('\n')
  );
  return startProcess({
    name: 'nats-server',
    binary,
    args: ['-c', config],
    port,
    dir,
    url: `nats://127.0.0.1:${port}`,
    ownProcessGroup: options.ownProcessGroup ?? false,
    isServing: (p) =>
      probe('127.0.0.1', p, null, (text) => text.startsWith('INFO ') && text.includes('"jetstream":true')),
  });
}

export interface RedisServerOptions extends ProcessGroupOption {
  port?: number;
  /** Append-only file with fsync every second, as production runs; off for speed by default. */
  appendOnly?: boolean;
  /** A node of a Redis Cluster (cluster-enabled, its nodes.conf in its folder). */
  clusterNode?: boolean;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<LocalServer> {
  const binary = findBinary('redis-server', 'REDIS_SERVER_BIN');
  const port = options.port ?? (await freePort());
  // A cluster node's bus port defaults to port + 10000: past 65535 for a fifth of Linux's ephemeral ports.
  const busPort = options.clusterNode ? await freePort() : 0;
  const dir = mkdtempSync(join(tmpdir(), 'dmp-redis-'));
  return startProcess({
    name: 'redis-server',
    binary,
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      options.appendOnly ? 'yes' : 'no',
      '--daemonize',
      'no',
      ...(options.clusterNode
        ? [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, 'nodes.conf'),
            '--cluster-node-timeout',
            '2000',
            '--cluster-port',
            String(busPort),
            // DEBUG SLEEP stalls a replica, so that a test can fail its primary over before it has the last writes.
            '--enable-debug-command',
            'local',
          ]
        : []),
    ],
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    ownProcessGroup: options.ownProcessGroup ?? false,
    isServing: (p) => probe('127.0.0.1', p, 'PING\r\n', (text) => text.startsWith('+PONG')),
  });
}

interface ProcessSpec {
  name: LocalServer['name'];
  binary: string;
  args: string[];
  port: number;
  dir: string;
  url: string;
  ownProcessGroup: boolean;
  isServing: (port: number) => Promise<boolean>;
}

const running = new Set<ChildProcess>();
// Servers must not outlive the process that started them, even when it exits abruptly.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function startProcess(spec: ProcessSpec): Promise<LocalServer> {
  const logFile = join(spec.dir, `${spec.name}.log`);
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const log = openSync(logFile, 'a');
    const proc = spawn(spec.binary, spec.args, { stdio: ['ignore', log, log], detached: spec.ownProcessGroup });
    child = proc;
    running.add(proc);
    let exited = false;
    proc.once('exit', () => {
      exited = true;
      running.delete(proc);
    });
    const deadline = Date.now() + 15_000;
    while (!(await spec.isServing(spec.port))) {
      if (exited) throw new Error(`${spec.name} exited while starting; see ${logFile}`);
      if (Date.now() > deadline)
        throw new Error(`${spec.name} did not serve on port ${spec.port} within 15 s; see ${logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  };

  await start();
  return {
    name: spec.name,
    url: spec.url,
    port: spec.port,
    dir: spec.dir,
    logFile,
    get pid() {
      return child?.pid;
    },
    stop,
    start,
  };
}

/**
 * Whether what listens at host:port speaks the server's protocol: NATS greets with INFO; Redis answers PING
 * (or asks for a password, which is still Redis). False when nothing listens or something else does.
 */
export function speaksProtocol(name: LocalServer['name'], host: string, port: number): Promise<boolean> {
  return name === 'nats-server'
    ? probe(host, port, null, (text) => text.startsWith('INFO '))
    : probe(host, port, 'PING\r\n', (text) => text.startsWith('+PONG') || text.startsWith('-NOAUTH'));
}

/** Connects, optionally sends `request`, and checks the first bytes of the answer. */
function probe(
  host: string,
  port: number,
  request: string | null,
  accept: (text: string) => boolean
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    // A peer that hangs up without a full line is not the server (close follows error too: resolve is once).
    socket.once('close', () => done(false));
    socket.once('connect', () => {
      if (request) socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\n')) done(accept(answer));
    });
  });
}
