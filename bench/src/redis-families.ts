import type { Redis } from 'ioredis';

export interface KeyFamily {
  keys: number;
  /** MEMORY USAGE (SAMPLES 0), mean over every key of the family. */
  bytesPerKey: number;
  /** The longest remaining TTL seen in the family, in seconds (-1: a key without one). */
  maxTtlSeconds: number;
}

/**
 * The family of a key: its prefix and hash tag, with ids left out (`dc:{t}:cap`, `rp:{t}:exp`,
 * `dlv:{t}:<key>:attempts`), so keys written per decision, per subscriber or per offer count separately.
 */
function familyOf(key: string): string {
  const parts = key.split(':');
  if (!parts[1]?.startsWith('{')) return parts[0] ?? key;
  if (parts[0] === 'dlv') return parts.at(-1) === 'attempts' ? 'dlv:{t}:<key>:attempts' : 'dlv:{t}:<key>';
  return `${parts[0]}:{t}:${parts[0] === 'rp' && parts[2] !== 'exp' && parts[2] !== 'seen' ? (parts[3] ?? '') : (parts[2] ?? '')}`;
}

/** Every key of the server grouped by family, with its memory per key: what the caps Redis holds per call. */
export async function keyFamilies(redis: Redis): Promise<Record<string, KeyFamily>> {
  const families = new Map<string, { keys: number; bytes: number; maxTtl: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0').ttl(key);
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const bytes = Number(replies[2 * i]?.[1] ?? 0);
      const ttl = Number(replies[2 * i + 1]?.[1] ?? -1);
      const family = families.get(familyOf(key)) ?? { keys: 0, bytes: 0, maxTtl: -2 };
      family.keys++;
      family.bytes += bytes;
      family.maxTtl = ttl === -1 || family.maxTtl === -1 ? -1 : Math.max(family.maxTtl, ttl);
      families.set(familyOf(key), family);
    });
  } while (cursor !== '0');
  return Object.fromEntries(
    [...families].map(([name, f]) => [
      name,
      { keys: f.keys, bytesPerKey: Math.round(f.bytes / f.keys), maxTtlSeconds: f.maxTtl },
    ])
  );
}
