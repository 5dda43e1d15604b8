import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Redis } from 'ioredis';

import { buildPrefix, DEFAULT_FEATURES, HLL_BUCKETS, WINDOWS, type WindowName } from '@dmp/features';
import { binaryVersion, findBinary, startRedisServer } from '@dmp/local-servers';

import type { SuiteOptions } from '../main';
import type { SuiteResult } from '../result';
import { BUILD, parallelCapacity, seed, TENANT, workloadFromEnv } from './feature-workload';

/** Keys measured with MEMORY USAGE per family (all of them when fewer). */
const SAMPLE = 2_000;
const GiB = 2 ** 30;

const log = (text: string): void => void process.stderr.write(`feature-memory: ${text}\n`);
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** What a key family belongs to: one user's profile, one item's, or shared by the tenant. */
type Owner = 'user' | 'item' | 'shared';

interface Family {
  name: string;
  owner: Owner;
  keys: string[];
}

/**
 * The encoding thresholds production's Redis runs with (charts/deps/redis-values.yaml, `*-max-listpack-*`): the
 * figures are taken with them, since the capacity model sizes production from them.
 */
function productionEncodings(): [string, string][] {
  const values = readFileSync(
    join(resolve(__dirname, '..', '..', '..'), 'charts', 'deps', 'redis-values.yaml'),
    'utf8'
  );
  return [...values.matchAll(/^\s*((?:hash|zset|set|list)-max-[a-z-]+)\s+(\d+)\s*$/gm)].map((m) => [m[1]!, m[2]!]);
}

/** The families of key layout v2 (libs/features/src/keys.ts), by the part after the build prefix. */
function familyOf(rest: string): { name: string; owner: Owner } {
  if (rest === 'pw') return { name: 'pw partition watermarks', owner: 'shared' };
  if (rest.startsWith('e:u:')) return { name: 'e:u user hash', owner: 'user' };
  if (rest.startsWith('e:uc:')) return { name: 'e:uc user×category hash', owner: 'user' };
  if (rest.startsWith('e:i:')) return { name: 'e:i item hash', owner: 'item' };
  if (rest.startsWith('e:c:')) return { name: 'e:c category hash', owner: 'shared' };
  if (rest.startsWith('e:t:')) return { name: 'e:t tenant hash', owner: 'shared' };
  if (rest.startsWith('h:')) {
    const [, feature = '?', kind = '?'] = rest.split(':');
    return {
      name: `h: HLL ${feature}`,
      owner: kind === 'u' || kind === 'uc' ? 'user' : kind === 'i' ? 'item' : 'shared',
    };
  }
  if (rest.startsWith('is:')) return { name: `is: item set ${rest.split(':')[1] ?? '?'}`, owner: 'user' };
  if (rest.startsWith('ucx:')) return { name: 'ucx: categories a user has user×category features in', owner: 'user' };
  if (rest.startsWith('co:')) return { name: `co: co-occurrence zset ${rest.split(':')[1] ?? '?'}`, owner: 'item' };
  if (rest.startsWith('z:')) return { name: `z: top-items zset ${rest.split(':')[1] ?? '?'}`, owner: 'shared' };
  if (rest === 'zl') return { name: 'zl landmarks hash', owner: 'shared' };
  return { name: `other ${rest.split(':')[0] ?? ''}`, owner: 'shared' };
}

/**
 * An HLL bucket key the seeding wrote but that a steady stream would have let expire: writes refresh a
 * bucket's TTL (bucket length x (HLL_BUCKETS + 1)) until the bucket ends; seeding 30 days at once writes
 * old buckets now, so they would outlive their window.
 */
function expiredInSteadyState(rest: string, windows: Map<string, WindowName>, nowS: number): boolean {
  const parts = rest.split(':');
  const window = windows.get(parts[1] ?? '');
  const bucket = Number(parts[parts.length - 1]);
  if (!window || window === 'all' || !Number.isFinite(bucket)) return false;
  const bucketSeconds = (WINDOWS[window].bucketSeconds * WINDOWS[window].buckets) / HLL_BUCKETS;
  return (bucket + 1) * bucketSeconds + Math.ceil(bucketSeconds * (HLL_BUCKETS + 1)) <= nowS;
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
}

/** Bytes of the values alone: hash field values, the HLL string, zset members and 8-byte scores. */
async function payloadBytes(redis: Redis, key: string, type: string): Promise<{ values: number; names: number }> {
  if (type === 'hash') {
    const flat = await redis.hgetallBuffer(key);
    let values = 0;
    let names = 0;
    for (const [field, value] of Object.entries(flat)) {
      names += Buffer.byteLength(field);
      values += value.length;
    }
    return { values, names };
  }
  if (type === 'string') return { values: await redis.strlen(key), names: 0 };
  if (type === 'zset') {
    const flat = await redis.zrangeBuffer(key, 0, -1);
    return { values: flat.reduce((sum, member) => sum + member.length + 8, 0), names: 0 };
  }
  return { values: 0, names: 0 };
}

interface FamilyStats {
  family: string;
  owner: Owner;
  keys: number;
  sampled: number;
  /** MEMORY USAGE (SAMPLES 0), mean over the sample. */
  memoryUsageBytesPerKey: number;
  /** Drop of used_memory when the family's keys are deleted, per key (includes dict entries and TTLs). */
  usedMemoryBytesPerKey: number;
  usedMemoryTotalMiB: number;
  /** Bytes of the values themselves (see payloadBytes), mean per key. */
  payloadBytesPerKey: number;
  /** Hash field names, mean per key (hashes). */
  fieldNameBytesPerKey: number;
  encodings: Record<string, number>;
  /** Mean fields (hash) or members (zset) per key. */
  elementsPerKey: number;
}

async function measureFamily(
  redis: Redis,
  family: Family
): Promise<Omit<FamilyStats, 'usedMemoryBytesPerKey' | 'usedMemoryTotalMiB'>> {
  const step = Math.max(1, Math.floor(family.keys.length / SAMPLE));
  const sample = family.keys.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  let memory = 0;
  let values = 0;
  let names = 0;
  let elements = 0;
  const encodings: Record<string, number> = {};
  for (const key of sample) {
    const [usage, encoding, type] = await Promise.all([
      redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0') as Promise<number | null>,
      redis.call('OBJECT', 'ENCODING', key) as Promise<string | null>,
      redis.type(key),
    ]);
    memory += usage ?? 0;
    encodings[encoding ?? 'gone'] = (encodings[encoding ?? 'gone'] ?? 0) + 1;
    const payload = await payloadBytes(redis, key, type);
    values += payload.values;
    names += payload.names;
    elements += type === 'hash' ? await redis.hlen(key) : type === 'zset' ? await redis.zcard(key) : 0;
  }
  const n = sample.length || 1;
  return {
    family: family.name,
    owner: family.owner,
    keys: family.keys.length,
    sampled: sample.length,
    memoryUsageBytesPerKey: round(memory / n),
    payloadBytesPerKey: round(values / n),
    fieldNameBytesPerKey: round(names / n),
    encodings,
    elementsPerKey: round(elements / n),
  };
}

async function deleteAll(redis: Redis, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1_000) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 1_000)) pipeline.del(key);
    await pipeline.exec();
  }
}

/**
 * What a compact encoding would save: copies of sampled keys restored (DUMP/RESTORE) after raising
 * hash-max-listpack-value and zset-max-listpack-entries, so they load as listpacks, measured against the
 * originals. The copies are deleted and the settings restored.
 */
async function listpackWhatIf(redis: Redis, families: Family[]): Promise<Record<string, unknown>> {
  const settings = [
    'hash-max-listpack-value',
    'hash-max-listpack-entries',
    'zset-max-listpack-entries',
    'zset-max-listpack-value',
  ];
  const original = new Map<string, string>();
  for (const name of settings) {
    const [, value] = (await redis.config('GET', name)) as [string, string];
    original.set(name, value);
  }
  // Only raise limits: entity hashes hold long values (rings of 144-360 bytes, JSON lists), co-occurrence
  // zsets up to 300 members.
  const raise = (name: string, to: number): string => String(Math.max(Number(original.get(name)), to));
  const proposed: Record<string, string> = {
    'hash-max-listpack-value': raise('hash-max-listpack-value', 2048),
    'hash-max-listpack-entries': raise('hash-max-listpack-entries', 128),
    'zset-max-listpack-entries': raise('zset-max-listpack-entries', 512),
    'zset-max-listpack-value': raise('zset-max-listpack-value', 64),
  };
  for (const [name, value] of Object.entries(proposed)) await redis.config('SET', name, value);
  const out: Record<string, unknown> = { settings: proposed, defaults: Object.fromEntries(original) };
  try {
    for (const family of families) {
      if (!/^(e:|co:)/.test(family.name)) continue;
      let before = 0;
      let after = 0;
      let n = 0;
      const encodings: Record<string, number> = {};
      const step = Math.max(1, Math.floor(family.keys.length / 500));
      for (const key of family.keys.filter((_, i) => i % step === 0).slice(0, 500)) {
        const dump = await redis.dumpBuffer(key);
        if (!dump) continue;
        const copy = `whatif:${key}`;
        await redis.restore(copy, 0, dump, 'REPLACE');
        before += ((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null) ?? 0;
        after += ((await redis.call('MEMORY', 'USAGE', copy, 'SAMPLES', '0')) as number | null) ?? 0;
        const encoding = ((await redis.call('OBJECT', 'ENCODING', copy)) as string | null) ?? '?';
        encodings[encoding] = (encodings[encoding] ?? 0) + 1;
        await redis.del(copy);
        n++;
      }
      out[family.name] = {
        sampled: n,
        memoryUsageBytesPerKey: round(before / (n || 1)),
        asListpackBytesPerKey: round(after / (n || 1)),
        saving: round(before ? 1 - after / before : 0, 3),
        encodingsAfter: encodings,
      };
    }
  } finally {
    for (const [name, value] of original) await redis.config('SET', name, value);
  }
  return out;
}

/**
 * `feature-memory`: Redis memory per user profile, per item and per event for the default feature set,
 * after seeding the same realistic workload as `features` through the real apply script. Per key family:
 * MEMORY USAGE over a sample, and the exact used_memory drop when the family is deleted (dict entries and
 * TTLs included). RESULT: user profiles per GiB, ours against the same values packed with no Redis
 * overhead at all (their bytes alone: the physical limit of keeping them in memory as they are).
 */
export async function featureMemorySuite(_options: SuiteOptions): Promise<SuiteResult> {
  const workload = workloadFromEnv();
  const capacity = await parallelCapacity();
  const server = await startRedisServer();
  const connections = [new Redis(server.url), new Redis(server.url)];
  const redis = connections[0]!;
  try {
    const encodings = productionEncodings();
    for (const [name, value] of encodings) await redis.config('SET', name, value);
    log(`production encodings: ${encodings.map(([name, value]) => `${name} ${value}`).join(', ')}`);
    const empty = await usedMemory(redis);
    log(`seeding ${workload.events} events (${workload.users} users, ${workload.items} items)`);
    const nowS = Date.now() / 1000;
    const seeded = await seed(connections, workload, { features: DEFAULT_FEATURES, nowMs: nowS * 1000 });
    const seededMemory = await usedMemory(redis);
    log(`seeded in ${seeded.seconds.toFixed(1)} s; used_memory +${((seededMemory - empty) / 2 ** 20).toFixed(1)} MiB`);

    // Every key, by family; HLL buckets a steady stream would have let expire are a family of their own.
    const prefix = buildPrefix(TENANT, BUILD);
    const windows = new Map<string, WindowName>();
    for (const f of DEFAULT_FEATURES.features)
      if (f.aggregation.kind === 'distinct_count') windows.set(f.name, f.aggregation.window);
    const families = new Map<string, Family>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 2_000);
      cursor = next;
      for (const key of keys) {
        const rest = key.startsWith(prefix) ? key.slice(prefix.length) : key;
        const { name: base, owner } = familyOf(rest);
        const expired = rest.startsWith('h:') && expiredInSteadyState(rest, windows, nowS);
        const name = expired ? `${base} (expired in steady state)` : base;
        const family = families.get(name) ?? { name, owner, keys: [] };
        family.keys.push(key);
        families.set(name, family);
      }
    } while (cursor !== '0');
    const ordered = [...families.values()].sort((a, b) => a.name.localeCompare(b.name));

    log('MEMORY USAGE over samples');
    const sampled = new Map<string, Awaited<ReturnType<typeof measureFamily>>>();
    for (const family of ordered) sampled.set(family.name, await measureFamily(redis, family));
    log('listpack what-if');
    const whatIf = await listpackWhatIf(redis, ordered);

    // Exact totals: delete family by family and read used_memory after each (stale HLL buckets first).
    log('deleting family by family');
    const stats: FamilyStats[] = [];
    const deletionOrder = [...ordered].sort(
      (a, b) => Number(b.name.includes('expired')) - Number(a.name.includes('expired'))
    );
    for (const family of deletionOrder) {
      const before = await usedMemory(redis);
      await deleteAll(redis, family.keys);
      const freed = before - (await usedMemory(redis));
      stats.push({
        ...sampled.get(family.name)!,
        usedMemoryBytesPerKey: round(freed / family.keys.length),
        usedMemoryTotalMiB: round(freed / 2 ** 20, 2),
      });
    }
    const left = await usedMemory(redis);
    stats.sort((a, b) => a.family.localeCompare(b.family));

    const live = stats.filter((s) => !s.family.includes('expired'));
    const users = stats.find((s) => s.family === 'e:u user hash')?.keys ?? 0;
    const items = stats.find((s) => s.family === 'e:i item hash')?.keys ?? 0;
    const sum = (owner: Owner, pick: (s: FamilyStats) => number): number =>
      live.filter((s) => s.owner === owner).reduce((total, s) => total + pick(s) * s.keys, 0);
    const perUser = sum('user', (s) => s.usedMemoryBytesPerKey) / users;
    const perItem = sum('item', (s) => s.usedMemoryBytesPerKey) / items;
    const perUserPayload = sum('user', (s) => s.payloadBytesPerKey) / users;
    const perItemPayload = sum('item', (s) => s.payloadBytesPerKey) / items;
    printTable(stats, { perUser, perItem, users, items });

    return {
      suite: 'feature-memory',
      unit: 'user profiles/GiB',
      ours: GiB / perUser,
      limit: GiB / perUserPayload,
      details: {
        parallelCpuCapacity: capacity,
        redisServer: binaryVersion(findBinary('redis-server', 'REDIS_SERVER_BIN')),
        productionEncodings: Object.fromEntries(encodings),
        workload,
        seeding: { seconds: round(seeded.seconds), eventsPerSecond: Math.round(seeded.eventsPerSecond) },
        usedMemory: {
          empty,
          afterSeeding: seededMemory,
          deltaMiB: round((seededMemory - empty) / 2 ** 20, 2),
          afterDeletingEverything: left,
          deltaPerEventBytes: round((seededMemory - empty) / workload.events),
          keys: stats.reduce((n, s) => n + s.keys, 0),
        },
        usersWithProfile: users,
        itemsWithFeatures: items,
        bytesPerUserProfile: Math.round(perUser),
        bytesPerItem: Math.round(perItem),
        payloadBytesPerUserProfile: Math.round(perUserPayload),
        payloadBytesPerItem: Math.round(perItemPayload),
        sharedBytes: Math.round(sum('shared', (s) => s.usedMemoryBytesPerKey)),
        profilesPerGiB: { users: Math.round(GiB / perUser), items: Math.round(GiB / perItem) },
        families: stats,
        listpackWhatIf: whatIf,
        notes:
          'Per family: MEMORY USAGE SAMPLES 0 over up to 2,000 keys, and usedMemoryBytesPerKey = the exact drop of ' +
          'used_memory when every key of the family is deleted (main dict entry, key, value, expires entry). ' +
          'Per user = e:u + e:uc + ucx + the user.history item set + user HLLs; per item = e:i + item HLLs + co-occurrence zset; steady state: HLL ' +
          'buckets the 30-day seeding wrote but a steady stream would have let expire are counted apart and left ' +
          'out. Dedupe marks are per event and live 24 h. limit = the values’ own bytes (rings, JSON, HLL ' +
          'registers, members + 8-byte scores) with no key, field name or Redis overhead.',
      },
    };
  } finally {
    await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
    await server.stop();
  }
}

function printTable(
  stats: FamilyStats[],
  totals: { perUser: number; perItem: number; users: number; items: number }
): void {
  const rows = [
    [
      'family',
      'owner',
      'keys',
      'MiB freed',
      'B/key freed',
      'MEMORY USAGE',
      'payload B',
      'elements',
      'encodings (sample)',
    ],
    ...stats.map((s) => [
      s.family,
      s.owner,
      String(s.keys),
      s.usedMemoryTotalMiB.toFixed(2),
      s.usedMemoryBytesPerKey.toFixed(0),
      s.memoryUsageBytesPerKey.toFixed(0),
      s.payloadBytesPerKey.toFixed(0),
      s.elementsPerKey.toFixed(1),
      Object.entries(s.encodings)
        .map(([e, n]) => `${e}:${n}`)
        .join(' '),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  process.stdout.write(rows.map(line).join('\n') + '\n');
  process.stdout.write(
    `per user profile: ${Math.round(totals.perUser)} B (${totals.users} users)   per item: ${Math.round(totals.perItem)} B ` +
      `(${totals.items} items)\n`
  );
}
