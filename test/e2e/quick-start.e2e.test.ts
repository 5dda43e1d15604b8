/**
 * The README's quick start, as a newcomer types it. On a clean copy of the repository (what `git clone` gives:
 * no node_modules, no builds, no .dmp), the README's first command must start the platform; every example
 * call the banner prints must work exactly as printed, from another "terminal" that knows nothing of how the
 * platform was started; the README's own examples must be among them; the Python client must get answers; and
 * Ctrl-C must stop every process the command started, and nothing else.
 *
 * The copy runs on ports of its own (DMP_PORT_BASE, below the kernel's ephemeral range, so no other test's
 * free port can collide), starts its own NATS (NATS_URL points at a free port), and uses a Redis this test
 * started (REDIS_URL): the "something else" that must survive Ctrl-C untouched.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { canListen, startRedisServer, type LocalServer } from '@dmp/local-servers';

import { REPO_ROOT, waitFor } from '../harness';
import { descendants, stillRunning, type ProcessEntry } from '../harness/processes';

const exec = promisify(execFile);

/** Offsets from DMP_PORT_BASE of every port `dmp up` opens (services/cli/src/commands/up.ts), and NATS's here. */
const PORT_OFFSETS = [1, 2, 3, 4, 5, 11, 12, 13, 14, 15, 30, 40];
const NATS_OFFSET = 45;
/** The ports the README shows are those of the default base. */
const README_PORT_BASE = 50050;

let scratch: string;
let copy: string;
let base: number;
let redis: LocalServer;
let startCommand: string;
let platform: ChildProcess | undefined;
let output = '';
let banner: string;

/** The README's Quick start section: its sh blocks, each as lines without their trailing comments. */
function quickStartBlocks(): string[][] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Quick start'),
    readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1)
  );
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    m[1]!
      .split('\n')
      .map((line) => line.replace(/\s+#\s.*$/, '').trim())
      .filter((line) => line !== '')
  );
  expect(blocks.length, 'sh blocks in the README quick start').toBeGreaterThanOrEqual(3);
  return blocks;
}

/** A shell of someone who followed the README: no test runner's or pnpm's variables, no pnpm's PATH additions. */
function newcomerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(npm_|pnpm_|vitest|node_env$|node_options$|init_cwd$|intake_addr$|feature_store_addr$|decisioning_addr$|nats_url$|redis_url$|dmp_)/i.test(
        key
      )
    )
      continue;
    env[key] = value;
  }
  env['PATH'] = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules') && !dir.includes('/_npx/'))
    .join(delimiter);
  env['TMPDIR'] = join(scratch, 'tmp');
  return { ...env, ...extra };
}

/** Runs one line as a terminal would; its exit status must be 0. */
async function inTerminal(line: string, env = newcomerEnv()): Promise<string> {
  try {
    const { stdout } = await exec('sh', ['-c', line], { cwd: copy, env, timeout: 120_000, maxBuffer: 16 << 20 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`"${line}" failed: ${(error as Error).message}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** Rows of a `dmp` table whose first cells match `row`: the captured groups of each. */
const rows = (text: string, row: RegExp): string[][] =>
  text.split('\n').flatMap((line) => {
    const m = row.exec(line);
    return m ? [m.slice(1)] : [];
  });

/** A base whose every port is free, below Linux's ephemeral range (32768+) where other tests take theirs. */
async function freePortBase(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = 20_000 + 100 * Math.floor(Math.random() * 120);
    const ports = [...PORT_OFFSETS, NATS_OFFSET].map((offset) => candidate + offset);
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) return candidate;
  }
  throw new Error('no free block of ports between 20000 and 32000');
}

/** Copies what `git clone` would give (the tracked files and the new ones not ignored): nothing built, no .dmp. */
async function cleanCopy(to: string): Promise<void> {
  const { stdout } = await exec('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    maxBuffer: 64 << 20,
  });
  const files = stdout.split('\0').filter((file) => file !== '' && existsSync(join(REPO_ROOT, file)));
  expect(files).toContain('README.md');
  for (const file of files) cpSync(join(REPO_ROOT, file), join(to, file), { verbatimSymlinks: true });
  expect(statSync(join(to, 'dmp')).mode & 0o111, 'the ./dmp launcher stays executable').not.toBe(0);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'dmp-quick-start-'));
  mkdirSync(join(scratch, 'tmp'));
  copy = join(scratch, 'rtk-dmp');
  await cleanCopy(copy);

  base = await freePortBase();
  redis = await startRedisServer();
  const sentinel = new Redis(redis.url);
  await sentinel.set('not-dmp:sentinel', 'untouched');
  sentinel.disconnect();
  startCommand = quickStartBlocks()[0]![0]!;
}, 60_000);

afterAll(async () => {
  // A failed run must not leave the platform behind: the command's group, then anything it started.
  if (platform?.pid !== undefined) {
    const left = descendants(platform.pid);
    try {
      process.kill(-platform.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    for (const p of left) if (stillRunning(p)) process.kill(p.pid, 'SIGKILL');
  }
  await redis?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('the README quick start on a clean copy', () => {
  it("starts the platform with the README's first command", async () => {
    expect(startCommand).toMatch(/ start$/);
    platform = spawn('sh', ['-c', startCommand], {
      cwd: copy,
      env: newcomerEnv({
        DMP_PORT_BASE: String(base),
        NATS_URL: `nats://127.0.0.1:${base + NATS_OFFSET}`,
        REDIS_URL: redis.url,
      }),
      // A process group of its own, as a terminal gives a command: Ctrl-C is sent to the group.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    platform.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    platform.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<void>((resolve) => platform!.once('exit', () => resolve()));
    let ended = false;
    void exited.then(() => (ended = true));
    await waitFor(
      'the "is running" banner',
      () => {
        if (ended) throw new Error(`"${startCommand}" exited before the banner:\n${output}`);
        return output.includes('Ctrl-C stops everything started here.');
      },
      480_000
    );
    banner = output.slice(output.indexOf('RTK-DMP is running.'));
    expect(output).toContain(`event-intake   serving on 127.0.0.1:${base + 1}`);
    expect(output).toContain(`nats-server    started on nats://127.0.0.1:${base + NATS_OFFSET}`);
    expect(output).toContain(`redis-server   using the one at ${redis.url}`);
  }, 600_000);

  it('answers every example call the banner prints, typed as printed', async () => {
    const hints = banner
      .slice(banner.indexOf('Try it'))
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
    const printed = hints.slice(0, hints.indexOf(''));
    expect(printed.length).toBeGreaterThanOrEqual(10);
    // The README's examples are among them (with this copy's ports).
    for (const line of quickStartBlocks()[1]!) {
      expect(printed).toContain(line.replace(/\b50\d{3}\b/g, (port) => String(base + Number(port) - README_PORT_BASE)));
    }

    let balanceLowEvent = '';
    const checks: { hint: RegExp; check: (out: string, again: () => Promise<string>) => Promise<void> | void }[] = [
      {
        hint: /^\.\/dmp recommend --tenant demo --user u-0001 -n 5$/,
        check: (out) => {
          expect(out).toMatch(/^decision \S+ {2}model \S+ {2}personalized/);
          const items = rows(out, /^\d+ +(sku-\d{4}) +(0\.\d+|1\.0+) /).map(([item]) => item);
          expect(items).toHaveLength(5);
          expect(new Set(items).size).toBe(5);
        },
      },
      {
        hint: /^\.\/dmp next --tenant demo-tv --user v-0001 -n 5$/,
        check: (out) => {
          expect(out).toMatch(/^decision \S+/);
          expect(rows(out, /^\d+ +([sf]-[\w-]+) /)).toHaveLength(5);
        },
      },
      {
        hint: /^\.\/dmp decide --tenant demo --placement home-banner --user u-0001$/,
        // u-0001 buys often: the targeted voucher outranks free delivery.
        check: (out) => expect(out).toMatch(/^decision \S+: loyalty-voucher v\d+, creative voucher-10, score 5\.0+/),
      },
      {
        hint: /^\.\/dmp events send --tenant demo --user u-0001 --type view --item sku-0042 --prop price=9\.5$/,
        check: (out) => expect(rows(out, /^([\w-]{36}) +(\w+)/).map(([, status]) => status)).toEqual(['ACCEPTED']),
      },
      {
        hint: /^\.\/dmp events send --tenant demo --msisdn '\+7 912 345-67-89' --type balance_low --prop balance=12$/,
        check: (out) => {
          const sent = rows(out, /^([\w-]{36}) +(\w+)/);
          expect(sent.map(([, status]) => status)).toEqual(['ACCEPTED']);
          balanceLowEvent = sent[0]![0]!;
        },
      },
      {
        hint: new RegExp(`^curl -s http://127\\.0\\.0\\.1:${base + 40}/deliver$`),
        // The balance_low event triggers the top-up campaign: one SMS offer reaches the fake gateway.
        check: async (out, again) => {
          const topUps = (text: string) =>
            (
              JSON.parse(text) as {
                deliveries: { body: { campaignId: string; triggerEventId: string; channel: string } }[];
              }
            ).deliveries.filter((d) => d.body.triggerEventId === balanceLowEvent);
          let answer = out;
          await waitFor('the top-up offer at the gateway', async () => {
            if (topUps(answer).length > 0) return true;
            answer = await again();
            return false;
          });
          expect(topUps(answer).map((d) => [d.body.campaignId, d.body.channel])).toEqual([['top-up', 'sms']]);
        },
      },
      {
        hint: /^\.\/dmp event-types list --tenant demo$/,
        check: (out) => {
          const types = rows(out, /^(\w+) +built-in /).map(([name]) => name);
          expect(types).toEqual(expect.arrayContaining(['view', 'purchase', 'balance_low', 'roaming_start']));
        },
      },
      {
        hint: /^\.\/dmp failed-events --tenant demo$/,
        check: (out) => expect(out).toBe('no rejected events for tenant "demo"\n'),
      },
      {
        hint: /^\.\/dmp features --tenant demo --user u-0001$/,
        // The view sent above is applied within moments: sku-0042 heads the recent items.
        check: async (out, again) => {
          let answer = out;
          const recent = (text: string) => rows(text, /^user\.recent_items +PRESENT +(\S+)/)[0]?.[0];
          await waitFor('the view in user.recent_items', async () => {
            if (recent(answer) === 'sku-0042') return true;
            answer = await again();
            return false;
          });
          expect(rows(answer, /^user\.views_7d +PRESENT +(\d+)/)[0]?.[0]).toMatch(/^[1-9]\d*$/);
        },
      },
      {
        hint: /^\.\/dmp campaigns list --tenant demo$/,
        check: (out) =>
          expect(rows(out, /^([\w-]+) +\d+ +(\w+) /)).toEqual([
            ['free-delivery', 'active'],
            ['loyalty-voucher', 'active'],
            ['top-up', 'active'],
          ]),
      },
      {
        hint: /^\.\/dmp models list$/,
        check: (out) =>
          expect(rows(out, /^(demo-ranker(?:-trees)?) +\w+ +(\w+) /)).toEqual([
            ['demo-ranker', 'champion'],
            ['demo-ranker-trees', 'champion'],
          ]),
      },
      {
        hint: new RegExp(
          `^curl -s http://127\\.0\\.0\\.1:${base + 30}/v1/events -H "authorization: Bearer \\$\\(cat \\.dmp/dev-api-key\\)" -H 'content-type: application/json' -d '.+'$`
        ),
        check: (out) =>
          expect(JSON.parse(out)).toEqual({ results: [{ eventId: 'curl-1', status: 'EVENT_STATUS_ACCEPTED' }] }),
      },
      {
        hint: new RegExp(
          `^grpcurl -plaintext -H "authorization: Bearer \\$\\(cat \\.dmp/dev-api-key\\)" -d '.+' 127\\.0\\.0\\.1:${base + 4} dmp\\.decisioning\\.v1\\.DecisioningService/Recommend$`
        ),
        check: (out) => {
          const answer = JSON.parse(out) as { decisionId: string; items: { itemId: string }[]; personalized: boolean };
          expect(answer.decisionId).not.toBe('');
          expect(answer.items.map((i) => i.itemId)).toHaveLength(5);
        },
      },
      {
        hint: /^\.\/dmp keys list --tenant demo$/,
        // The dev key is for every tenant ("*"), so the demo tenant has none of its own yet.
        check: (out) => expect(out).toMatch(/^id +tenant +kind +scopes /),
      },
      {
        hint: /^\.\/dmp audit --tenant demo$/,
        // dmp up put the demo campaigns with the dev key: the audit log says so.
        check: (out) => {
          const puts = rows(out, /^\S+ +([a-z0-9]{12}) +dmp up dev key +CampaignService\/PutCampaign +([\w-]+)/);
          expect(puts.map(([, target]) => target)).toEqual(['free-delivery', 'loyalty-voucher', 'top-up']);
        },
      },
    ];

    const used = new Set<number>();
    for (const line of printed) {
      const index = checks.findIndex((c) => c.hint.test(line));
      expect(index, `no check for the printed example "${line}": add one`).toBeGreaterThanOrEqual(0);
      used.add(index);
      if (line.startsWith('grpcurl ') && !(await has('grpcurl'))) {
        // CI installs grpcurl (.ci/run) and says so; a machine without it skips this one line.
        expect(process.env['DMP_TEST_REQUIRE_GRPCURL'], 'grpcurl is required here').toBeUndefined();
        continue;
      }
      await checks[index]!.check(await inTerminal(line), () => inTerminal(line));
    }
    expect(used.size, 'every check matched a printed example').toBe(checks.length);

    // The launcher's usage, and a rejected event now listed by the same failed-events line.
    expect(await inTerminal('./dmp --help')).toMatch(/^dmp: the RTK-DMP command line/);
    await inTerminal('./dmp events send --tenant demo --user u-0001 --type no_such_type');
    expect(rows(await inTerminal('./dmp failed-events --tenant demo'), /^([\w-]{36}) +grpc +(\S+)/)).toHaveLength(1);
  }, 300_000);

  it('gives the Python client its answers (grpcio, stubs generated from protos/)', async () => {
    const [line] = quickStartBlocks()[2]!;
    expect(line).toMatch(/^examples\/python-client\/run\.sh /);
    // Where the README's example assumes the default ports, this copy's are given the documented way.
    const out = await inTerminal(
      line!,
      newcomerEnv({ INTAKE_ADDR: `127.0.0.1:${base + 1}`, DECISIONING_ADDR: `127.0.0.1:${base + 4}` })
    );
    const answers = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((text) => [text.slice(0, text.indexOf(':')), JSON.parse(text.slice(text.indexOf(':') + 1)) as unknown])
    ) as {
      Ingest: { results: { status: string }[] };
      Recommend: { decision_id: string; items: { item_id: string }[] };
      Decide: { offer: { campaign_id: string } };
    };
    expect(answers.Ingest.results.map((r) => r.status)).toEqual(['EVENT_STATUS_ACCEPTED']);
    expect(answers.Recommend.decision_id).not.toBe('');
    expect(answers.Recommend.items).toHaveLength(5);
    expect(answers.Decide.offer.campaign_id).toBe('loyalty-voucher');
  }, 300_000);

  it('stops everything it started on Ctrl-C, and nothing else', async () => {
    const pid = platform!.pid!;
    const started: ProcessEntry[] = descendants(pid);
    const commands = started.map((p) => p.cmdline);
    expect(commands.filter((c) => c.includes('nats-server'))).toHaveLength(1);
    expect(commands.filter((c) => c.includes('fake-gateway-main.js'))).toHaveLength(1);
    expect(commands.filter((c) => c.includes('--require @dmp/telemetry/register dist/main.js'))).toHaveLength(5);
    expect(
      commands.filter((c) => c.includes('redis-server')),
      'the Redis given by REDIS_URL is not ours'
    ).toEqual([]);

    const exited = new Promise<void>((resolve) => platform!.once('exit', () => resolve()));
    process.kill(-pid, 'SIGINT'); // what the terminal does on Ctrl-C: the foreground process group
    await exited;
    await waitFor('every process it started gone', () => started.every((p) => !stillRunning(p)), 60_000);
    expect(output).toContain('stopping …\nstopped.');
    platform = undefined;

    // Nothing else: the Redis it was given still serves, with what was there before.
    const client = new Redis(redis.url);
    expect(await client.get('not-dmp:sentinel')).toBe('untouched');
    client.disconnect();
    // And it leaves nothing behind: its ports free, its NATS data folder and its endpoints file gone.
    const ports = [...PORT_OFFSETS, NATS_OFFSET].map((offset) => base + offset);
    expect((await Promise.all(ports.map(canListen))).every(Boolean)).toBe(true);
    expect(readdirSync(join(scratch, 'tmp')).filter((name) => name.startsWith('dmp-'))).toEqual([]);
    expect(existsSync(join(copy, '.dmp', 'endpoints.json'))).toBe(false);
  }, 120_000);
});

async function has(command: string): Promise<boolean> {
  try {
    await exec('sh', ['-c', `command -v ${command}`], { env: newcomerEnv() });
    return true;
  } catch {
    return false;
  }
}
