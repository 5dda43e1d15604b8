import type { Redis } from 'ioredis';

export interface KeyFamily {
  keys: number;
  /** MEMORY USAGE (SAMPLES 0), mean over every key of the family. */
  bytesPerKey: number;
  /** The longest remaining TTL seen in the family, in seconds (-1: a key without one). */
  maxTtlSeconds: number;
}

/**
 * The family of a key: its prefix and shape, with ids left out (`dc:<t>:{<t>:<token>}` a subscriber's hash,
 * `dc:{<t>:c:<campaign>}:d` a decision's mark, `dlv:<t>:{<key>}`), so keys written per decision, per subscriber,
 * per campaign or per offer count separately.
 */
function familyOf(key: string): string {
  const [prefix = key, second = ''] = key.split(':');
  if (prefix === 'dlv') return 'dlv:<t>:{<key>}';
  if (prefix === 'dc' && !second.startsWith('{')) return 'dc:<t>:{<t>:<token>}';
  if ((prefix === 'dc' || prefix === 'rp') && key.includes(':c:'))
    return `${prefix}:{<t>:c:<campaign>}:${key.slice(key.indexOf('}') + 2).split(':')[0] ?? ''}`;
  return second.startsWith('{') ? `${prefix}:{t}:${key.split(':')[2] ?? ''}` : prefix;
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
