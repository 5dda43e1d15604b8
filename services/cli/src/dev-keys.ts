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
