import type { Redis } from 'ioredis';

import { UnavailableError } from '@dmp/runtime';

import { featureKeys, LAST_EVENT_FIELD } from './keys';

export interface ScoredItem {
  itemId: string;
  score: number;
}

export type EntityKind = 'user' | 'item';

/** A feature value with its status, so that "missing" is never read as zero. */
export type FeatureValue =
  | { status: 'present'; kind: 'number'; value: number; eventTimeMs?: number }
  | { status: 'present'; kind: 'items'; value: string[]; eventTimeMs?: number }
  | { status: 'present'; kind: 'scored_items'; value: ScoredItem[]; eventTimeMs?: number }
  | { status: 'missing' };

const MISSING: FeatureValue = { status: 'missing' };

interface FeatureDefinition {
  entity: EntityKind;
  description: string;
  read(reader: FeatureReader, tenantId: string, entityId: string): Promise<FeatureValue>;
}

/** The features this store serves, by name. Names start with their entity kind. */
export const FEATURES: Record<string, FeatureDefinition> = {
  'user.recent_items': {
    entity: 'user',
    description: 'The user’s most recent distinct items, newest first (up to 50).',
    read: async (reader, tenantId, userId) => {
      const [items, eventTimeMs] = await Promise.all([
        reader.recentItems(tenantId, userId, 50),
        reader.lastEventMs(featureKeys.userMeta(tenantId, userId), 'last_event_ms'),
      ]);
      return items.length === 0 ? MISSING : { status: 'present', kind: 'items', value: items, eventTimeMs };
    },
  },
  'item.interactions': {
    entity: 'item',
    description: 'Interactions of all users with the item, all event types together.',
    read: async (reader, tenantId, itemId) => {
      const [[count], eventTimeMs] = await Promise.all([
        reader.interactions(tenantId, [itemId]),
        reader.lastEventMs(featureKeys.itemCounts(tenantId, itemId), LAST_EVENT_FIELD),
      ]);
      return count === null || count === undefined
        ? MISSING
        : { status: 'present', kind: 'number', value: count, eventTimeMs };
    },
  },
  'item.co_occurrence': {
    entity: 'item',
    description: 'Items most often used by the same users as this one, with the number of such users (top 20).',
    read: async (reader, tenantId, itemId) => {
      const [pairs] = await reader.cooccurring(tenantId, [itemId], 20);
      return !pairs || pairs.length === 0 ? MISSING : { status: 'present', kind: 'scored_items', value: pairs };
    },
  },
};

async function guard<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    throw new UnavailableError('features are unavailable; retry shortly', { cause: error });
  }
}

function toScoredItems(flat: string[]): ScoredItem[] {
  const items: ScoredItem[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) items.push({ itemId: flat[i]!, score: Number(flat[i + 1]) });
  return items;
}

/**
 * Reads features from Redis. Calls made in the same tick share one round trip (the connection
 * auto-pipelines), so a caller that needs several reads issues them together with Promise.all.
 * Used by the feature store's GetFeatures and, in process, by decisioning. A failed read means Redis is
 * unreachable or slow, which callers must see as UnavailableError (UNAVAILABLE), never as a bug.
 */
export class FeatureReader {
  constructor(private readonly redis: Redis) {}

  recentItems(tenantId: string, userId: string, limit: number): Promise<string[]> {
    return guard(this.redis.lrange(featureKeys.userRecent(tenantId, userId), 0, limit - 1));
  }

  async popular(tenantId: string, limit: number): Promise<ScoredItem[]> {
    return toScoredItems(
      await guard(this.redis.zrevrange(featureKeys.popularity(tenantId), 0, limit - 1, 'WITHSCORES'))
    );
  }

  /** For each item, the items most often used together with it, strongest first. */
  cooccurring(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    return Promise.all(
      itemIds.map(async (itemId) =>
        toScoredItems(
          await guard(
            this.redis.zrevrange(featureKeys.itemCooccurrence(tenantId, itemId), 0, limitEach - 1, 'WITHSCORES')
          )
        )
      )
    );
  }

  /** Interaction count per item; null for an item nobody interacted with. */
  async interactions(tenantId: string, itemIds: readonly string[]): Promise<(number | null)[]> {
    if (itemIds.length === 0) return [];
    const scores = await guard(this.redis.zmscore(featureKeys.popularity(tenantId), ...itemIds));
    return scores.map((score) => (score === null ? null : Number(score)));
  }

  /** Time of the newest event of an entity, from its metadata hash field. */
  async lastEventMs(key: string, field: string): Promise<number | undefined> {
    const text = await guard(this.redis.hget(key, field));
    return text === null ? undefined : Number(text);
  }

  /** A grid of values: one row per entity, one value per feature, in the order asked. */
  read(tenantId: string, entityIds: readonly string[], featureNames: readonly string[]): Promise<FeatureValue[][]> {
    const definitions = featureNames.map((name) => {
      const definition = FEATURES[name];
      if (!definition) throw new Error(`unknown feature ${name}`);
      return definition;
    });
    return Promise.all(entityIds.map((id) => Promise.all(definitions.map((d) => d.read(this, tenantId, id)))));
  }
}
