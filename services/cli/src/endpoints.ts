import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The checkout this CLI was built in (services/cli/dist/ → the root): where `dmp up` keeps `.dmp/`. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Where the platform answers: what every client command needs to find it. */
export interface Endpoints {
  intake: string;
  featureStore: string;
  decisioning: string;
  natsUrl: string;
}

/** The ports `dmp up` uses unless DMP_PORT_BASE moves them, and where the CLI looks when nothing says otherwise. */
export const DEFAULT_ENDPOINTS: Endpoints = {
  intake: '127.0.0.1:50051',
  featureStore: '127.0.0.1:50052',
  decisioning: '127.0.0.1:50054',
  natsUrl: 'nats://127.0.0.1:4222',
};

/**
 * A running `dmp up` writes its endpoints to `.dmp/endpoints.json` in its checkout, so that commands typed in
 * another terminal find it however it was started (DMP_PORT_BASE, NATS_URL) without the user
 * repeating those settings there.
 */
export const endpointsFile = (repoRoot: string): string => join(repoRoot, '.dmp', 'endpoints.json');

export function writeEndpoints(repoRoot: string, endpoints: Endpoints): void {
  writeFileSync(endpointsFile(repoRoot), JSON.stringify({ pid: process.pid, ...endpoints }, null, 2) + '\n');
}

/** Removes the file, if it is still this process's (a second `dmp up` that failed must not take the first's). */
export function removeEndpoints(repoRoot: string): void {
  if (runningUp(repoRoot)?.pid === process.pid) rmSync(endpointsFile(repoRoot), { force: true });
}

/** The endpoints of the `dmp up` running from this checkout, if one is (a file left by a killed one is ignored). */
export function runningUp(repoRoot: string): (Endpoints & { pid: number }) | undefined {
  const file = endpointsFile(repoRoot);
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Endpoints & { pid: number };
    return isAlive(saved.pid) ? saved : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the client commands look, each address on its own: the variable (INTAKE_ADDR, FEATURE_STORE_ADDR,
 * DECISIONING_ADDR, NATS_URL) when set, else the running `dmp up` of this checkout, else the defaults.
 * (`--addr` on a command wins over all of them.)
 */
export function clientEndpoints(repoRoot: string, env: NodeJS.ProcessEnv = process.env): Endpoints {
  const found = runningUp(repoRoot) ?? DEFAULT_ENDPOINTS;
  return {
    intake: env['INTAKE_ADDR'] || found.intake,
    featureStore: env['FEATURE_STORE_ADDR'] || found.featureStore,
    decisioning: env['DECISIONING_ADDR'] || found.decisioning,
    natsUrl: env['NATS_URL'] || found.natsUrl,
  };
}

function isAlive(pid: unknown): boolean {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
