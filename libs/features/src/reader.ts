import type { Redis } from 'ioredis';

import { UnavailableError } from '@dmp/runtime';

import type { EntityKind, FeatureDefinition } from './definitions';
import { RECOMMEND_FEATURES } from './default-features';
import { readConsent, type Consent } from './consent';
import { profileOf } from './identity';
import { catalogKeys, readItemAttributes, type ItemAttributes } from './item-catalog';
import { AGGREGATE_GROUPS, AGGREGATE_SHARDS, buildPrefix, featureKeys } from './keys';
import {
  decayScale,
  mergeScored,
  readPlan,
  scaled,
  toScoredItems,
  type FeatureValue,
  type ReadPlan,
  type ScoredItem,
} from './read-plan';
import { readSimilarItems } from './similar-items';

export { FeatureLookupError, LIST_LIMIT, type FeatureValue, type ScoredItem } from './read-plan';

/** What Recommend knows of a user, from one round trip. */
export interface UserHistory {
  /**
   * Every distinct item the user interacted with, newest first: `user.history` (the newest 1,000, kept a year
   * after the last interaction), then what `user.recent_items` holds from before that feature was computed.
   */
  items: string[];
  /** Items the user bought, newest first. */
  bought: string[];
  /** The user's categories by decayed interactions, strongest first. */
  categories: ScoredItem[];
}

/** What the reader needs to know of a tenant: its features and the build readers use. */
export interface ReadCatalog {
  featuresFor(tenantId: string): { features: ReadonlyMap<string, FeatureDefinition> };
  activeBuild(tenantId: string): string;
}

/**
 * Reads features from Redis. Every read of one call is issued in the same tick, so the connection's
 * auto-pipelining sends them in one round trip. Used by the feature store's GetFeatures and, in
 * process, by decisioning. A failed read means Redis is unreachable or slow: UnavailableError.
 */
export class FeatureReader {
  constructor(
    private readonly redis: Redis,
    private readonly catalog: ReadCatalog,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * The profile an identifier belongs to (identity.ts): a user id is always its own profile's name, so only
   * the other kinds (`anon:`, `device:`, `msisdn:`, `email:`) cost a lookup.
   */
  profileOf(tenantId: string, identifier: string): Promise<string> {
    return guard(profileOf(this.redis, tenantId, identifier));
  }

  /** A grid of values: one row per entity, one value per feature, in the order asked. */
  async read(
    tenantId: string,
    entity: EntityKind,
    ids: readonly string[],
    names: readonly string[]
  ): Promise<FeatureValue[][]> {
    const plan = readPlan(this.catalog.featuresFor(tenantId).features, entity, names);
    const prefix = buildPrefix(tenantId, this.catalog.activeBuild(tenantId));
    const nowMs = this.now();
    // Tenant and category state is kept in aggregate shards (keys.ts): each shard read, then merged.
    const shards = entity === 'tenant' || entity === 'category' ? AGGREGATE_SHARDS : 1;
    // All commands of the call in one tick (one round trip), one promise per command: at 100 entities
    // the per-entity bookkeeping, not Redis, is what a read costs.
    const pending: Promise<unknown>[] = [];
    for (const id of ids) {
      for (let shard = 0; shard < shards; shard++) {
        if (plan.fields.length > 0)
          pending.push(this.redis.hmgetBuffer(featureKeys.entity(prefix, entity, id, shard), ...plan.fields));
        for (const command of plan.commands) pending.push(command(this.redis, prefix, id, nowMs, shard));
      }
    }
    let replies = await guard(Promise.all(pending));
    const perEntity = (plan.fields.length > 0 ? 1 : 0) + plan.commands.length;
    if (shards > 1) replies = mergeShards(plan, replies, ids.length, shards, perEntity, nowMs);
    const rows: FeatureValue[][] = [];
    const values: FeatureValue[] = new Array<FeatureValue>(plan.decoders.length);
    for (let e = 0; e < ids.length; e++) {
      const at = e * perEntity;
      const hash = (plan.fields.length > 0 ? replies[at] : []) as (Buffer | null)[];
      const own = at + (plan.fields.length > 0 ? 1 : 0);
      for (let i = 0; i < plan.decoders.length; i++) values[i] = plan.decoders[i]!(hash, replies, own, values, nowMs);
      rows.push(plan.asked.map((i) => values[i]!));
    }
    return rows;
  }

  /**
   * A subject's numeric user features by name, for conditions (campaign targeting, segments): names the
   * tenant has no user feature for (defined later, or removed) and missing values are simply absent.
   */
  async profile(tenantId: string, subjectId: string, names: readonly string[]): Promise<Map<string, number>> {
    const features = this.catalog.featuresFor(tenantId).features;
    const known = names.filter((n) => features.get(n)?.entity === 'user');
    const profile = new Map<string, number>();
    if (known.length === 0) return profile;
    const [row] = await this.read(tenantId, 'user', [subjectId], known);
    row!.forEach((value, i) => {
      if (value.status !== 'missing' && value.kind === 'number') profile.set(known[i]!, value.value);
    });
    return profile;
  }

  // Recommend's reads: few keys, small replies, no computation.

  async recentItems(tenantId: string, userId: string, limit: number): Promise<string[]> {
    return this.userItems(tenantId, userId, RECOMMEND_FEATURES.recentItems, limit);
  }

  /** What the user used, bought and likes: two commands, one round trip. */
  async userHistory(tenantId: string, userId: string): Promise<UserHistory> {
    const prefix = this.prefix(tenantId);
    const { history, recentItems, purchased, categoryAffinity } = RECOMMEND_FEATURES;
    const [[recent, bought, categories], everything] = await guard(
      Promise.all([
        this.redis.hmget(featureKeys.entity(prefix, 'user', userId), recentItems, purchased, categoryAffinity),
        this.redis.zrevrange(featureKeys.itemSet(prefix, history, 'user', userId), 0, -1),
      ])
    );
    const items = (raw: string | null | undefined): string[] =>
      raw ? (JSON.parse(raw) as [string, number][]).map(([item]) => item) : [];
    // Items only the recent list knows predate the history feature: they are older than all it holds.
    const inHistory = new Set(everything);
    return {
      items: [...everything, ...items(recent).filter((item) => !inHistory.has(item))],
      bought: items(bought),
      categories: this.decayed(tenantId, categoryAffinity, categories),
    };
  }

  /** A decayed-count map as of now, strongest first (the stored values are as of their last update). */
  private decayed(tenantId: string, feature: string, raw: string | null | undefined): ScoredItem[] {
    if (!raw) return [];
    const definition = this.catalog.featuresFor(tenantId).features.get(feature);
    const halfLifeS =
      definition?.aggregation.kind === 'decayed_count' ? definition.aggregation.halfLifeSeconds : 7 * 86_400;
    const nowS = this.now() / 1000;
    const map = JSON.parse(raw) as Record<string, [number, number]>;
    return Object.entries(map)
      .map(([itemId, [value, time]]) => ({ itemId, score: value * 2 ** (-(nowS - time) / halfLifeS) }))
      .sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
  }

  /** Content the user watched to the end, newest first. */
  async completedItems(tenantId: string, userId: string, limit: number): Promise<string[]> {
    return this.userItems(tenantId, userId, RECOMMEND_FEATURES.completed, limit);
  }

  private async userItems(tenantId: string, userId: string, feature: string, limit: number): Promise<string[]> {
    const key = featureKeys.entity(this.prefix(tenantId), 'user', userId);
    const raw = await guard(this.redis.hget(key, feature));
    return raw ? (JSON.parse(raw) as [string, number][]).slice(0, limit).map(([item]) => item) : [];
  }

  async popular(tenantId: string, limit: number): Promise<ScoredItem[]> {
    return this.topItems(tenantId, RECOMMEND_FEATURES.popularItems, 'tenant', '*', limit);
  }

  /** What is hot now: items by interactions of the last hours, best first. */
  async trending(tenantId: string, limit: number): Promise<ScoredItem[]> {
    return this.topItems(tenantId, RECOMMEND_FEATURES.trending, 'tenant', '*', limit);
  }

  /** The catalog's newest items, newest first; the score is the arrival time (ms). */
  async newArrivals(tenantId: string, limit: number): Promise<ScoredItem[]> {
    const prefix = this.prefix(tenantId);
    const shards = await guard(
      Promise.all(
        AGGREGATE_GROUPS.map((_, shard) =>
          this.redis.zrevrange(catalogKeys.newArrivals(prefix, shard), 0, limit - 1, 'WITHSCORES')
        )
      )
    );
    return toScoredItems(mergeScored(shards, Math.max, limit));
  }

  /**
   * A tenant's or category's top items, from every aggregate shard (keys.ts): each shard's scores brought to now,
   * then added up. Each shard keeps its own top, so an item is missing a shard's share only where it is not among
   * that shard's top: far below the lists' heads.
   */
  private async topItems(
    tenantId: string,
    feature: string,
    kind: 'tenant' | 'category',
    id: string,
    limit: number
  ): Promise<ScoredItem[]> {
    const prefix = this.prefix(tenantId);
    const definition = this.catalog.featuresFor(tenantId).features.get(feature);
    const halfLife = definition?.aggregation.kind === 'top_items' ? definition.aggregation.halfLifeSeconds : undefined;
    const nowMs = this.now();
    const shards = await guard(
      Promise.all(
        AGGREGATE_GROUPS.map(async (_, shard) => {
          const key = featureKeys.topItems(prefix, feature, kind, id, shard);
          const [flat, landmark] = await Promise.all([
            this.redis.zrevrange(key, 0, limit - 1, 'WITHSCORES'),
            halfLife ? this.redis.hget(featureKeys.landmarks(key), key) : null,
          ]);
          return scaled(flat, decayScale(landmark, halfLife, nowMs));
        })
      )
    );
    return toScoredItems(mergeScored(shards, (x, y) => x + y, limit));
  }

  /** For each item, its most similar items from the published similarity table, best first. */
  similarItems(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    return guard(readSimilarItems(this.redis, tenantId, itemIds, limitEach));
  }

  /** A category's most popular items over the last week (forward-decayed), best first. */
  async popularInCategory(tenantId: string, category: string, limit: number): Promise<ScoredItem[]> {
    return this.topItems(tenantId, RECOMMEND_FEATURES.categoryPopular, 'category', category, limit);
  }

  /** For each item, the items most often used together with it, strongest first. */
  cooccurring(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    return this.strongest(tenantId, RECOMMEND_FEATURES.alsoUsed, itemIds, limitEach);
  }

  /** For each item, what viewers started right after it, most viewers first. */
  watchedNext(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    return this.strongest(tenantId, RECOMMEND_FEATURES.watchedNext, itemIds, limitEach);
  }

  private strongest(
    tenantId: string,
    feature: string,
    itemIds: readonly string[],
    limitEach: number
  ): Promise<ScoredItem[][]> {
    const prefix = this.prefix(tenantId);
    return guard(
      Promise.all(
        itemIds.map(async (item) =>
          toScoredItems(
            await this.redis.zrevrange(featureKeys.cooccurrence(prefix, feature, item), 0, limitEach - 1, 'WITHSCORES')
          )
        )
      )
    );
  }

  /** A series' episodes in order (season, then episode), as the catalog has them. */
  episodes(tenantId: string, seriesId: string): Promise<string[]> {
    return guard(this.redis.zrange(catalogKeys.series(this.prefix(tenantId), seriesId), 0, -1));
  }

  /** Interactions per item (all time); null for an item nobody interacted with. */
  async interactions(tenantId: string, itemIds: readonly string[]): Promise<(number | null)[]> {
    if (itemIds.length === 0) return [];
    const prefix = this.prefix(tenantId);
    const shards = await guard(
      Promise.all(
        AGGREGATE_GROUPS.map((_, shard) =>
          this.redis.zmscore(
            featureKeys.topItems(prefix, RECOMMEND_FEATURES.popularItems, 'tenant', '*', shard),
            ...itemIds
          )
        )
      )
    );
    return itemIds.map((_, i) => {
      let total: number | null = null;
      for (const scores of shards) if (scores[i] != null) total = (total ?? 0) + Number(scores[i]);
      return total;
    });
  }

  /** What the user allowed, per purpose (absent: never said). */
  consent(tenantId: string, userId: string): Promise<Consent> {
    return guard(readConsent(this.redis, this.prefix(tenantId), userId));
  }

  /** The catalog's attributes of items; undefined for an item it does not know. */
  itemAttributes(tenantId: string, itemIds: readonly string[]): Promise<(ItemAttributes | undefined)[]> {
    return guard(readItemAttributes(this.redis, this.prefix(tenantId), itemIds));
  }

  private prefix(tenantId: string): string {
    return buildPrefix(tenantId, this.catalog.activeBuild(tenantId));
  }
}

async function guard<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    throw new UnavailableError('features are unavailable; retry shortly', { cause: error });
  }
}

/**
 * Replies read shard by shard (entity, then shard, then its HMGET and commands) as one reply per entity: each
 * field and each command merged over the shards as the plan says.
 */
function mergeShards(
  plan: ReadPlan,
  replies: readonly unknown[],
  entities: number,
  shards: number,
  perEntity: number,
  nowMs: number
): unknown[] {
  const merged: unknown[] = [];
  const hashes = plan.fields.length > 0 ? 1 : 0;
  for (let e = 0; e < entities; e++) {
    const at = (s: number): number => (e * shards + s) * perEntity;
    if (hashes) {
      const hash = plan.fields.map((_, f) => {
        let value: Buffer | null = null;
        for (let s = 0; s < shards; s++) value = plan.fieldMerges[f]!(value, (replies[at(s)] as (Buffer | null)[])[f]!);
        return value;
      });
      merged.push(hash);
    }
    plan.commands.forEach((_, c) => {
      const each = Array.from({ length: shards }, (_, s) => replies[at(s) + hashes + c]);
      merged.push(plan.commandMerges[c]!(each, nowMs));
    });
  }
  return merged;
}
