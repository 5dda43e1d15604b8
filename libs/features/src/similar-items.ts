import type { Redis } from 'ioredis';

import { entityGroup, KEY_VERSION } from './keys';
import { toScoredItems, type ScoredItem } from './read-plan';

/**
 * The item-to-item similarity table: for each item, its most similar items with a score. Unlike the
 * features it is not derived from the event stream but published by an offline job (item-kNN over
 * interactions by `dmp similar build`, or a trainer's embedding neighbours), so it lives outside the
 * builds: a feature rebuild leaves it alone.
 *
 * | key                               | type | holds                                 |
 * |-----------------------------------|------|---------------------------------------|
 * | fs:v3:{t:<group>}:sim:<item id>   | zset | similar items → similarity            |
 *
 * Each item's list is replaced whole (one MULTI), so readers see the old list or the new one. Lists
 * expire after `SIMILAR_ITEMS_TTL_S` unless published again: an item the latest table left out stops
 * being recommended from a stale list.
 */
export const SIMILAR_ITEMS_TTL_S = 30 * 24 * 3_600;
/** Neighbours kept per item. */
export const MAX_NEIGHBOURS = 200;

export interface SimilarItems {
  itemId: string;
  neighbours: readonly ScoredItem[];
}

/** In the item's entity group (keys.ts), outside the builds: the trainer publishes it, not the stream. */
export const similarItemsKey = (tenantId: string, itemId: string): string =>
  `fs:${KEY_VERSION}:{${tenantId}:${entityGroup(itemId)}}:sim:${itemId}`;

/** Replaces the lists of the given items (an empty list deletes the item's entry). */
export async function writeSimilarItems(redis: Redis, tenantId: string, rows: readonly SimilarItems[]): Promise<void> {
  // One transaction per item, all sent at once: each item's list changes whole (on a Redis Cluster the items'
  // keys are in different slots, so no one transaction can hold them all).
  await Promise.all(
    rows.map(async ({ itemId, neighbours }) => {
      const key = similarItemsKey(tenantId, itemId);
      const multi = redis.multi().del(key);
      if (neighbours.length > 0)
        multi.zadd(key, ...neighbours.flatMap((n) => [n.score, n.itemId])).expire(key, SIMILAR_ITEMS_TTL_S);
      const replies = await multi.exec();
      const failed = replies?.find(([error]) => error !== null);
      if (!replies || failed) throw failed?.[0] ?? new Error('similar items transaction was aborted');
    })
  );
}

/** For each item, its most similar items, best first. */
export function readSimilarItems(
  redis: Redis,
  tenantId: string,
  itemIds: readonly string[],
  limitEach: number
): Promise<ScoredItem[][]> {
  return Promise.all(
    itemIds.map(async (item) =>
      toScoredItems(await redis.zrevrange(similarItemsKey(tenantId, item), 0, limitEach - 1, 'WITHSCORES'))
    )
  );
}
