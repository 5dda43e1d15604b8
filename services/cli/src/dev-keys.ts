import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * IDENTITY_HMAC_KEYS for the event-intake that `dmp up` runs: `dev:<base64 of 32 random bytes>`, made once
 * and kept in <repo>/.dmp/dev-hmac-keys (mode 0600; .dmp/ is gitignored), so the keyed hashes of phone
 * numbers and emails stay the same from one run to the next. The file holds the variable's value as is:
 * to try a key rotation, put a new `id:base64secret` first, comma separated.
 */
export function devHmacKeys(repoRoot: string): { keys: string; file: string; created: boolean } {
  const file = join(repoRoot, '.dmp', 'dev-hmac-keys');
  const existing = readKeys(file);
  if (existing !== undefined) return { keys: existing, file, created: false };
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx': never overwrite a key another `dmp up` has just written.
    writeFileSync(file, `dev:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { keys: readKeys(file)!, file, created: true };
}

function readKeys(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (text === '') throw new Error(`${file} is empty: delete it and \`dmp up\` makes a new dev key`);
  // A key file someone copied with looser permissions: only its owner should read it.
  chmodSync(file, 0o600);
  return text;
}

/**
 * The development API key `dmp up` makes: every tenant, every scope, kept in <repo>/.dmp/dev-api-key (mode
 * 0600) and stored again each run, so commands and scripts keep working across restarts. The CLI sends it
 * when DMP_API_KEY is unset.
 */
export function devApiKey(repoRoot: string, mint: () => string): { key: string; file: string; created: boolean } {
  return keptApiKey(devApiKeyFile(repoRoot), mint);
}

/** The key kept in `file` (mode 0600), made with `mint` the first time. */
export function keptApiKey(file: string, mint: () => string): { key: string; file: string; created: boolean } {
  const existing = readKeys(file);
  if (existing !== undefined) return { key: existing, file, created: false };
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${mint()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { key: readKeys(file)!, file, created: true };
}

export const devApiKeyFile = (repoRoot: string): string => join(repoRoot, '.dmp', 'dev-api-key');

/** The key the CLI sends: DMP_API_KEY, else the dev key of this checkout's `dmp up`, else none. */
export function cliApiKey(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env['DMP_API_KEY']?.trim() || readKeys(devApiKeyFile(repoRoot));
}
