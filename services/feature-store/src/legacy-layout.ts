import type { Redis } from 'ioredis';

import {
  AGGREGATE_SHARDS,
  buildPrefix,
  catalogKeys,
  consentKey,
  ENTITY_GROUPS,
  featureKeys,
  segmentKeys,
  segmentShard,
  type EntityKind,
} from '@dmp/features';
import { scanKeys } from '@dmp/redis';
import { delay, type Logger } from '@dmp/runtime';

/** Set once the features Redis holds nothing in the layout before issue 20 (every key under the tenant's tag). */
export const LAYOUT_KEY = 'fs:layout';
const LAYOUT = '3';
/** Held by the replica moving the keys, so that two replicas starting together do not both move them. */
const MOVING_KEY = 'fs:layout:moving';
const MOVING_TTL_S = 3_600;

const KINDS: Record<string, EntityKind> = { u: 'user', i: 'item', uc: 'user_category', c: 'category', t: 'tenant' };

/**
 * Moves the features of every build from layout 2, where each key carried the tenant's hash tag
 * (`fs:v2:{t}:<b>:…`, `sg:{t}:…`), to layout 3 (libs/features keys.ts, segments.ts), so that an upgrade keeps every
 * feature, item, consent statement and membership, and goes on counting each event once:
 *
 * | before                          | after                                                                  |
 * |---------------------------------|------------------------------------------------------------------------|
 * | fs:v2:{t}:<b>:<state>           | the same state under its entity's group (tenant and category: shard 0)  |
 * | fs:v2:{t}:<b>:zl                | each landmark in its zset's group                                      |
 * | fs:v2:{t}:<b>:pw                | every group's watermarks: each group has applied what the build had     |
 * | sg:{t}:u:<subject>              | the subject's set in its shard, and it in each of its segments' sets   |
 * | sg:{t}:m:<segment>, sg:{t}:n:…  | gone (the subjects' sets say the same; tickets last a day)              |
 *
 * It runs before this replica consumes anything; a replica starting meanwhile waits for it. Old replicas must be
 * stopped first (they would go on writing layout 2). Each key is deleted once moved, so a move cut short goes on
 * where it stopped at the next start. Left as it is: the identity graph (`fs:v2:{t}:id:`, `p:`, `mg:`, `tomb:`),
 * still layout 2's, and the similarity table, which the next `dmp similar build` publishes anew.
 */
export async function moveLegacyLayout(redis: Redis, log: Logger): Promise<number> {
  if ((await redis.get(LAYOUT_KEY)) === LAYOUT) return 0;
  if ((await redis.set(MOVING_KEY, '1', 'EX', MOVING_TTL_S, 'NX')) !== 'OK') {
    log.info('another replica moves the features to layout 3: waiting');
    while ((await redis.get(LAYOUT_KEY)) !== LAYOUT) await delay(1_000);
    return 0;
  }
  let moved = 0;
  try {
    const watermarks: string[] = [];
    for await (const keys of scanKeys(redis, 'fs:v2:{*}:b[0-9]*:*')) {
      for (const key of keys) {
        const legacy = parseLegacy(key);
        if (!legacy) continue;
        if (legacy.rest === 'pw') watermarks.push(key);
        else if (await moveFeatureKey(redis, key, legacy)) moved++;
      }
    }
    // Watermarks last: from here on a redelivered event the build had is found applied in every group.
    for (const key of watermarks) {
      const { tenant, build } = parseLegacy(key)!;
      const positions = await redis.hgetall(key);
      if (Object.keys(positions).length > 0) {
        const prefix = buildPrefix(tenant, build);
        const groups = [
          ...Array.from({ length: ENTITY_GROUPS }, (_, n) => [String(n), `k${n}`]).flat(),
          ...Array.from({ length: AGGREGATE_SHARDS }, (_, s) => `a${s}`),
        ];
        for (let i = 0; i < groups.length; i += 1_000) {
          await Promise.all(
            groups.slice(i, i + 1_000).map((group) => redis.hset(featureKeys.watermarks(prefix, group), positions))
          );
        }
      }
      await redis.del(key);
      moved++;
    }
    moved += await moveSegmentKeys(redis);
    await redis.set(LAYOUT_KEY, LAYOUT);
    if (moved > 0) log.info('features moved to layout 3 (keys by entity group)', { keys: moved });
    return moved;
  } finally {
    await redis.del(MOVING_KEY);
  }
}

interface LegacyKey {
  tenant: string;
  build: string;
  rest: string;
}

function parseLegacy(key: string): LegacyKey | undefined {
  const match = /^fs:v2:\{([^}]+)\}:(b\d+):(.+)$/.exec(key);
  return match ? { tenant: match[1]!, build: match[2]!, rest: match[3]! } : undefined;
}

/** Layout 3's name of a build's key (`rest`: what follows the build in layout 2), if it is one of a known kind. */
function newName(prefix: string, rest: string): string | undefined {
  const [code, ...parts] = rest.split(':');
  const tail = parts.join(':');
  const kindAndId = (text: string): [EntityKind, string] | undefined => {
    const colon = text.indexOf(':');
    const kind = KINDS[text.slice(0, colon)];
    return kind && colon > 0 ? [kind, text.slice(colon + 1)] : undefined;
  };
  switch (code) {
    case 'e': {
      const entity = kindAndId(tail);
      return entity && featureKeys.entity(prefix, entity[0], entity[1]);
    }
    case 'h': {
      const [feature = '', ...more] = parts;
      const last = more.join(':').lastIndexOf(':');
      const entity = kindAndId(more.join(':').slice(0, last));
      const bucket = Number(more.join(':').slice(last + 1));
      return entity && Number.isFinite(bucket) ? featureKeys.hll(prefix, feature, ...entity, bucket) : undefined;
    }
    case 'is':
    case 'z': {
      const [feature = '', ...more] = parts;
      const entity = kindAndId(more.join(':'));
      if (!entity) return undefined;
      return code === 'is'
        ? featureKeys.itemSet(prefix, feature, ...entity)
        : featureKeys.topItems(prefix, feature, ...entity);
    }
    case 'co':
      return featureKeys.cooccurrence(prefix, parts[0] ?? '', parts.slice(1).join(':'));
    case 'ucx':
      return featureKeys.userCategories(prefix, tail);
    case 'cs':
      return consentKey(prefix, tail);
    case 'it':
      return catalogKeys.item(prefix, tail);
    case 'sr':
      return catalogKeys.series(prefix, tail);
    case 'new':
      return catalogKeys.newArrivals(prefix, 0);
    case 'cu':
      return featureKeys.caughtUp(prefix);
    default:
      return undefined;
  }
}

/** Moves one key of a build (its landmarks field by field); true if it was moved. */
async function moveFeatureKey(redis: Redis, key: string, legacy: LegacyKey): Promise<boolean> {
  const prefix = buildPrefix(legacy.tenant, legacy.build);
  if (legacy.rest === 'zl') {
    for (const [zset, landmark] of Object.entries(await redis.hgetall(key))) {
      const rest = parseLegacy(zset)?.rest;
      const target = rest && newName(prefix, rest);
      if (target) await redis.hset(featureKeys.landmarks(target), target, landmark);
    }
    await redis.del(key);
    return true;
  }
  const target = newName(prefix, legacy.rest);
  if (!target) return false;
  const [dump, ttl] = await Promise.all([redis.dumpBuffer(key), redis.pttl(key)]);
  if (dump) await redis.restore(target, Math.max(ttl, 0), dump, 'REPLACE');
  await redis.del(key);
  return true;
}

/** Each subject's memberships into its shard; the segments' member sets are made from them. */
async function moveSegmentKeys(redis: Redis): Promise<number> {
  let moved = 0;
  for await (const keys of scanKeys(redis, 'sg:{*}:*')) {
    for (const key of keys) {
      const match = /^sg:\{([^}:]+)\}:(u|m|n):(.+)$/.exec(key);
      if (!match) continue;
      const [, tenant, kind, rest] = match as unknown as [string, string, string, string];
      if (kind === 'u') {
        const segments = await redis.smembers(key);
        const shard = segmentShard(rest);
        if (segments.length > 0) {
          await redis.sadd(segmentKeys.ofSubject(tenant, rest), ...segments);
          await Promise.all(segments.map((segment) => redis.sadd(segmentKeys.members(tenant, segment, shard), rest)));
        }
      }
      await redis.del(key);
      moved++;
    }
  }
  return moved;
}
