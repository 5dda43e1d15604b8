/**
 * The README's key commands as an operator types them: the first platform key written straight into NATS,
 * then a tenant's keys made, listed and revoked through AccessService with it, and the audit trail of it all.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ServiceProcess } from '@dmp/local-servers';

import {
  addTenant,
  publishModels,
  REPO_ROOT,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

const exec = promisify(execFile);
const CLI = join(REPO_ROOT, 'services', 'cli', 'dist', 'main.js');

let servers: Servers;
let intake: ServiceProcess;
let featureStore: ServiceProcess;
let decisioning: ServiceProcess;

/** Runs `dmp …` with only the variables given (no key from the test's environment, none from a dev file). */
async function dmp(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await exec(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env['PATH'] ?? '',
      NATS_URL: servers.nats.url,
      FEATURE_STORE_ADDR: featureStore.address,
      DECISIONING_ADDR: decisioning.address,
      ...env,
    },
  });
  return stdout;
}

/** The failure of `dmp …`: its exit code and what it printed on stderr. */
async function dmpFails(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await dmp(args, env);
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
  throw new Error(`dmp ${args.join(' ')} succeeded`);
}

const keyIn = (text: string): string => /dmp_sk_[a-z0-9]{12}_[0-9a-f]{48}/.exec(text)![0];

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await publishModels(servers.nc);
  // Intake creates EVENTS, which the feature store's consumer waits for.
  intake = await startService('event-intake', servers);
  featureStore = await startService('feature-store', servers);
  decisioning = await startService('decisioning', servers);
}, 60_000);

afterAll(async () => {
  await Promise.all([intake?.stop(), featureStore?.stop(), decisioning?.stop()]);
  await servers?.stop();
});

describe('dmp keys and dmp audit', () => {
  it('bootstraps a platform key, makes, lists and revokes a tenant key with it, and shows the audit trail', async () => {
    const platform = keyIn(await dmp(['keys', 'bootstrap', '--name', 'operator']));
    const asOperator = { DMP_API_KEY: platform };
    // The KV watch brings the new key to the feature store within moments.
    let created = '';
    await waitFor('the platform key on the feature store', async () => {
      try {
        created = await dmp(
          ['keys', 'create', '--tenant', 'shop', '--name', 'shop backend', '--scope', 'serve', '--scope', 'read'],
          asOperator
        );
        return true;
      } catch {
        return false;
      }
    });
    const shopKey = keyIn(created);
    const shopKeyId = shopKey.split('_')[2]!;
    expect(created).toContain('Keep it now');

    const browser = await dmp(
      [
        'keys',
        'create',
        '--tenant',
        'shop',
        '--name',
        'shop web',
        '--publishable',
        '--origin',
        'https://shop.example',
        '--rate',
        '50',
      ],
      asOperator
    );
    expect(browser).toMatch(/dmp_pk_[a-z0-9]{12}_[0-9a-f]{48}/);

    const listed = await dmp(['keys', 'list', '--tenant', 'shop'], asOperator);
    expect(listed).toMatch(new RegExp(`^${shopKeyId} +shop +secret +serve,read +shop backend `, 'm'));
    expect(listed).toMatch(/ +shop +publishable +ingest +shop web .* https:\/\/shop\.example$/m);
    expect(listed).not.toContain(shopKey.slice(-48));

    // The tenant's read key reads the tenant's campaigns, and nothing of the keys (admin).
    await waitFor('the shop key on decisioning', async () => {
      try {
        await dmp(['campaigns', 'list', '--tenant', 'shop'], { DMP_API_KEY: shopKey });
        return true;
      } catch {
        return false;
      }
    });
    const notAdmin = await dmpFails(['keys', 'list', '--tenant', 'shop'], { DMP_API_KEY: shopKey });
    expect(notAdmin.stderr).toContain('PERMISSION_DENIED');

    await dmp(['keys', 'revoke', shopKeyId, '--tenant', 'shop'], asOperator);
    await waitFor('the revocation on decisioning', async () => {
      const refused = await dmpFails(['campaigns', 'list', '--tenant', 'shop'], { DMP_API_KEY: shopKey }).catch(
        () => undefined
      );
      return refused?.stderr.includes('UNAUTHENTICATED') ?? false;
    });

    const audit = await dmp(['audit', '--tenant', 'shop']);
    const operatorId = platform.split('_')[2]!;
    expect(audit).toMatch(new RegExp(`^\\S+ +${operatorId} +operator +AccessService/CreateApiKey +${shopKeyId}`, 'm'));
    expect(audit).toMatch(new RegExp(`^\\S+ +${operatorId} +operator +AccessService/RevokeApiKey +${shopKeyId}`, 'm'));

    // Changes the CLI makes straight in NATS are in the trail too, under the NATS user that made them.
    await dmp(['tenants', 'create', 'other']);
    expect(await dmp(['audit', '--tenant', 'other'])).toMatch(/^\S+ +nats:anonymous +dmp CLI +tenants\/create +other/m);
    expect(await dmp(['audit', '--tenant', '*'])).toMatch(
      new RegExp(`^\\S+ +nats:anonymous +dmp CLI +keys/bootstrap +${operatorId}`, 'm')
    );
  });

  it('keeps a bootstrap key in a file (mode 0600) and stores the same key again on the next run', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dmp-keys-')), 'delivery-key');
    const first = await dmp(['keys', 'bootstrap', '--name', 'delivery', '--scope', 'ingest', '--file', file]);
    const key = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toContain(`key ${key.split('_')[2]} from ${file} stored (every tenant; ingest)`);
    await dmp(['keys', 'bootstrap', '--name', 'delivery', '--scope', 'ingest', '--file', file]);
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    const unknown = await dmpFails(['keys', 'bootstrap', '--scope', 'everything'], {});
    expect(unknown.stderr).toContain('--scope everything is not one of ingest, serve, read, admin, platform');
  });
});
