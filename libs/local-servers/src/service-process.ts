import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

import { waitServing } from './health';
import { freePort } from './servers';

/** The deployable services, as folder names under services/. */
export const SERVICE_NAMES = ['event-intake', 'feature-store', 'scoring', 'decisioning', 'delivery'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceProcessOptions {
  name: ServiceName;
  /** Root of the repository checkout; the service runs from services/<name>/dist. */
  repoRoot: string;
  /** Environment on top of the parent's: NATS_URL, REDIS_URL, MODEL_PATH … */
  env: Record<string, string>;
  grpcPort?: number;
  metricsPort?: number;
  /** Append the service's stdout and stderr to this file; otherwise keep the last lines in memory. */
  logFile?: string;
  /** Wait until readiness says SERVING. @default true */
  waitServing?: boolean;
  /** Start it in a process group of its own, so a terminal's Ctrl-C reaches only the parent (see servers.ts). */
  ownProcessGroup?: boolean;
}

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly address: string;
  readonly grpcPort: number;
  readonly metricsPort: number;
  readonly pid: number | undefined;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The last lines the process wrote, for test failure messages. */
  output(): string;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a service exactly as its image does (`node --require @dmp/telemetry/register dist/main.js`). Ports it
 * picks itself are free when picked but may be taken before the service binds them (parallel test files): a
 * start that fails with EADDRINUSE on such a port is tried again on new ones.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const ownPorts = options.grpcPort === undefined || options.metricsPort === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!ownPorts || attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const grpcPort = options.grpcPort ?? (await freePort());
  const metricsPort = options.metricsPort ?? (await freePort());
  const cwd = join(options.repoRoot, 'services', options.name);
  const child = spawn(process.execPath, ['--require', '@dmp/telemetry/register', 'dist/main.js'], {
    cwd,
    env: {
      ...process.env,
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(metricsPort),
      OTEL_SERVICE_NAME: options.name,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    })
  );

  let file: WriteStream | undefined;
  const tail: string[] = [];
  if (options.logFile) file = createWriteStream(options.logFile, { flags: 'a' });
  const keep = (chunk: Buffer): void => {
    if (file) file.write(chunk);
    tail.push(chunk.toString('utf8'));
    if (tail.length > 5_000) tail.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  void exited.then(() => file?.end());

  const address = `127.0.0.1:${grpcPort}`;
  const service: ServiceProcess = {
    name: options.name,
    address,
    grpcPort,
    metricsPort,
    get pid() {
      return child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    exited,
    output: () => tail.join(''),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };

  if (options.waitServing ?? true) {
    const failed = exited.then((code) => {
      throw new Error(`${options.name} exited with ${code} while starting:\n${service.output()}`);
    });
    try {
      await Promise.race([waitServing(address, 60_000), failed]);
    } catch (error) {
      await service.stop('SIGKILL');
      throw error;
    }
    void failed.catch(() => undefined);
  }
  return service;
}
