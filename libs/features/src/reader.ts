import type { Redis } from 'ioredis';

import { UnavailableError } from '@dmp/runtime';

import { WINDOWS, type EntityKind, type FeatureDefinition, type WindowName } from './definitions';
import { RECOMMEND_FEATURES } from './default-features';
import { buildPrefix, featureKeys, HLL_BUCKETS, hllBucketSeconds } from './keys';

export interface ScoredItem {
  itemId: string;
  score: number;
}

type Status = 'present' | 'stale';

/** A feature value with its status, so that "missing" is never read as zero. */
export type FeatureValue =
  | { status: Status; kind: 'number'; value: number; eventTimeMs?: number }
  | { status: Status; kind: 'scored_items'; value: ScoredItem[]; eventTimeMs?: number }
  | { status: 'missing' };

const MISSING: FeatureValue = { status: 'missing' };

/** Entries returned for list-valued features (last items, top items, co-occurrence, affinities). */
export const LIST_LIMIT = 50;

/** What the reader needs to know of a tenant: its features and the build readers use. */
export interface ReadCatalog {
  featuresFor(tenantId: string): { features: ReadonlyMap<string, FeatureDefinition> };
  activeBuild(tenantId: string): string;
}

/** A feature name that is unknown or of another entity. */
export class FeatureLookupError extends Error {
  constructor(
    readonly index: number,
    problem: string
  ) {
    super(problem);
    this.name = 'FeatureLookupError';
  }
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

  /** A grid of values: one row per entity, one value per feature, in the order asked. */
  async read(
    tenantId: string,
    entity: EntityKind,
    ids: readonly string[],
    names: readonly string[]
  ): Promise<FeatureValue[][]> {
    const { features } = this.catalog.featuresFor(tenantId);
    const asked = names.map((name, i) => {
      const definition = features.get(name);
      if (!definition) throw new FeatureLookupError(i, `unknown feature "${name.slice(0, 100)}"`);
      if (definition.entity !== entity)
        throw new FeatureLookupError(i, `"${name}" is a ${definition.entity} feature, not a ${entity} feature`);
      return definition;
    });
    // Ratios are read from their parts.
    const needed = new Map<string, FeatureDefinition>();
    for (const d of asked) {
      needed.set(d.name, d);
      if (d.aggregation.kind === 'ratio') {
        for (const part of [d.aggregation.numerator, d.aggregation.denominator]) needed.set(part, features.get(part)!);
      }
    }
    const prefix = buildPrefix(tenantId, this.catalog.activeBuild(tenantId));
    const nowMs = this.now();
    const rows = await guard(
      Promise.all(ids.map((id) => this.readEntity(prefix, entity, id, [...needed.values()], nowMs)))
    );
    return rows.map((values) => asked.map((d) => values.get(d.name) ?? MISSING));
  }

  // Recommend's reads: few keys, small replies, no computation.

  async recentItems(tenantId: string, userId: string, limit: number): Promise<string[]> {
    const prefix = this.prefix(tenantId);
    const raw = await guard(
      this.redis.hget(featureKeys.entity(prefix, 'user', userId), RECOMMEND_FEATURES.recentItems)
    );
    return raw ? (JSON.parse(raw) as [string, number][]).slice(0, limit).map(([item]) => item) : [];
  }

  async popular(tenantId: string, limit: number): Promise<ScoredItem[]> {
    const key = featureKeys.topItems(this.prefix(tenantId), RECOMMEND_FEATURES.popularItems, 'tenant', '*');
    return toScoredItems(await guard(this.redis.zrevrange(key, 0, limit - 1, 'WITHSCORES')));
  }

  /** For each item, the items most often used together with it, strongest first. */
  cooccurring(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    const prefix = featureKeys.cooccurrencePrefix(this.prefix(tenantId), RECOMMEND_FEATURES.alsoUsed);
    return guard(
      Promise.all(
        itemIds.map(async (item) =>
          toScoredItems(await this.redis.zrevrange(prefix + item, 0, limitEach - 1, 'WITHSCORES'))
        )
      )
    );
  }

  /** Interactions per item (all time); null for an item nobody interacted with. */
  async interactions(tenantId: string, itemIds: readonly string[]): Promise<(number | null)[]> {
    if (itemIds.length === 0) return [];
    const key = featureKeys.topItems(this.prefix(tenantId), RECOMMEND_FEATURES.popularItems, 'tenant', '*');
    const scores = await guard(this.redis.zmscore(key, ...itemIds));
    return scores.map((score) => (score === null ? null : Number(score)));
  }

  private prefix(tenantId: string): string {
    return buildPrefix(tenantId, this.catalog.activeBuild(tenantId));
  }

  private async readEntity(
    prefix: string,
    entity: EntityKind,
    id: string,
    definitions: FeatureDefinition[],
    nowMs: number
  ): Promise<Map<string, FeatureValue>> {
    const fields: string[] = [];
    for (const d of definitions) {
      if (d.aggregation.kind === 'trending') fields.push(`${d.name}#s`, `${d.name}#l`);
      else if (['count', 'sum', 'last_seen', 'last_n', 'decayed_count'].includes(d.aggregation.kind))
        fields.push(d.name);
    }
    const entityKey = featureKeys.entity(prefix, entity, id);
    const hashRead = fields.length > 0 ? this.redis.hmgetBuffer(entityKey, ...fields) : Promise.resolve([]);
    const otherReads = definitions.map((d) => this.readOther(prefix, entity, id, d, nowMs));
    const [hash, others] = await Promise.all([hashRead, Promise.all(otherReads)]);
    const byField = new Map(fields.map((f, i) => [f, hash[i] ?? null]));

    const values = new Map<string, FeatureValue>();
    definitions.forEach((d, i) => {
      const a = d.aggregation;
      let value: FeatureValue;
      switch (a.kind) {
        case 'count':
        case 'sum':
          value = windowed(byField.get(d.name) ?? null, a.window, nowMs);
          break;
        case 'last_seen': {
          const raw = byField.get(d.name);
          value = raw
            ? { status: 'present', kind: 'number', value: Number(raw.toString()), eventTimeMs: Number(raw.toString()) }
            : MISSING;
          break;
        }
        case 'last_n': {
          const raw = byField.get(d.name);
          const list = raw ? (JSON.parse(raw.toString()) as [string, number][]) : [];
          value =
            list.length === 0
              ? MISSING
              : {
                  status: 'present',
                  kind: 'scored_items',
                  value: list.slice(0, LIST_LIMIT).map(([itemId, score]) => ({ itemId, score })),
                  eventTimeMs: Math.max(...list.map(([, t]) => t)),
                };
          break;
        }
        case 'decayed_count': {
          const raw = byField.get(d.name);
          const map = raw ? (JSON.parse(raw.toString()) as Record<string, [number, number]>) : {};
          const nowS = nowMs / 1000;
          const entries = Object.entries(map).map(([itemId, [v, t]]) => ({
            itemId,
            score: v * 2 ** (-(nowS - t) / a.halfLifeSeconds),
          }));
          entries.sort((x, y) => y.score - x.score || (x.itemId < y.itemId ? -1 : 1));
          const last = Math.max(...Object.values(map).map(([, t]) => t * 1000));
          value =
            entries.length === 0
              ? MISSING
              : { status: 'present', kind: 'scored_items', value: entries.slice(0, a.top), eventTimeMs: last };
          break;
        }
        case 'trending': {
          const short = windowed(byField.get(`${d.name}#s`) ?? null, a.short, nowMs);
          const long = windowed(byField.get(`${d.name}#l`) ?? null, a.long, nowMs);
          const seconds = (w: keyof typeof WINDOWS): number => WINDOWS[w].bucketSeconds * WINDOWS[w].buckets;
          value =
            long.status === 'missing' ||
            long.kind !== 'number' ||
            long.value === 0 ||
            short.status === 'missing' ||
            short.kind !== 'number'
              ? MISSING
              : {
                  status: 'present',
                  kind: 'number',
                  // Rate in the short window over the rate in the long one: above 1 means rising.
                  value: short.value / seconds(a.short) / (long.value / seconds(a.long)),
                  ...(long.eventTimeMs !== undefined && { eventTimeMs: long.eventTimeMs }),
                };
          break;
        }
        default:
          value = others[i] ?? MISSING;
      }
      values.set(d.name, withFreshness(value, d, nowMs));
    });
    // Ratios last: their parts are read above.
    for (const d of definitions) {
      if (d.aggregation.kind !== 'ratio') continue;
      const num = values.get(d.aggregation.numerator);
      const den = values.get(d.aggregation.denominator);
      values.set(
        d.name,
        num?.status !== 'missing' &&
          den?.status !== 'missing' &&
          num?.kind === 'number' &&
          den?.kind === 'number' &&
          den.value > 0
          ? {
              status: num.status === 'stale' || den.status === 'stale' ? 'stale' : 'present',
              kind: 'number',
              value: num.value / den.value,
            }
          : MISSING
      );
    }
    return values;
  }

  /** Features kept outside the entity hash: HyperLogLogs and zsets. */
  private async readOther(
    prefix: string,
    entity: EntityKind,
    id: string,
    d: FeatureDefinition,
    nowMs: number
  ): Promise<FeatureValue> {
    const a = d.aggregation;
    switch (a.kind) {
      case 'distinct_count': {
        const keys =
          a.window === 'all'
            ? [featureKeys.hll(prefix, d.name, entity, id, 0)]
            : Array.from({ length: HLL_BUCKETS }, (_, k) => {
                const bucket = Math.floor(nowMs / 1000 / hllBucketSeconds(a.window)) - k;
                return featureKeys.hll(prefix, d.name, entity, id, bucket);
              });
        const count = await this.redis.pfcount(...keys);
        return count === 0 ? MISSING : { status: 'present', kind: 'number', value: count };
      }
      case 'top_items': {
        const key = featureKeys.topItems(prefix, d.name, entity, id);
        const [flat, landmark] = await Promise.all([
          this.redis.zrevrange(key, 0, LIST_LIMIT - 1, 'WITHSCORES'),
          a.halfLifeSeconds ? this.redis.hget(featureKeys.landmarks(prefix), key) : Promise.resolve(null),
        ]);
        const items = toScoredItems(flat);
        if (items.length === 0) return MISSING;
        // Forward-decayed scores, brought to now: score x 2^((landmark - now) / half-life).
        const scale = a.halfLifeSeconds && landmark ? 2 ** ((Number(landmark) - nowMs / 1000) / a.halfLifeSeconds) : 1;
        return {
          status: 'present',
          kind: 'scored_items',
          value: items.map((x) => ({ itemId: x.itemId, score: x.score * scale })),
        };
      }
      case 'cooccurrence': {
        const items = toScoredItems(
          await this.redis.zrevrange(
            featureKeys.cooccurrencePrefix(prefix, d.name) + id,
            0,
            LIST_LIMIT - 1,
            'WITHSCORES'
          )
        );
        return items.length === 0 ? MISSING : { status: 'present', kind: 'scored_items', value: items };
      }
      default:
        return MISSING;
    }
  }
}

/** The value of a count or sum over its window at `nowMs`, from its ring of buckets (or its total). */
function windowed(raw: Buffer | null, window: WindowName, nowMs: number): FeatureValue {
  if (!raw) return MISSING;
  if (window === 'all') {
    if (raw.length !== 16) return MISSING;
    return { status: 'present', kind: 'number', value: raw.readDoubleLE(0), eventTimeMs: raw.readDoubleLE(8) };
  }
  const { bucketSeconds, buckets } = WINDOWS[window];
  if (raw.length !== buckets * 12) return MISSING;
  const now = Math.floor(nowMs / 1000 / bucketSeconds);
  let sum = 0;
  let latest = -1;
  for (let slot = 0; slot < buckets; slot++) {
    const bucket = raw.readInt32LE(slot * 12);
    const value = raw.readDoubleLE(slot * 12 + 4);
    if (bucket > now - buckets && bucket <= now) sum += value;
    if (value !== 0 && bucket > latest) latest = bucket;
  }
  if (latest < 0) return MISSING;
  return {
    status: 'present',
    kind: 'number',
    value: sum,
    eventTimeMs: Math.min(nowMs, (latest + 1) * bucketSeconds * 1000),
  };
}

/** MISSING past the feature's TTL, STALE past its staleAfter, by the time of its newest event. */
function withFreshness(value: FeatureValue, d: FeatureDefinition, nowMs: number): FeatureValue {
  if (value.status === 'missing' || value.eventTimeMs === undefined) return value;
  const age = nowMs - value.eventTimeMs;
  if (age > d.ttlSeconds * 1000) return MISSING;
  if (d.staleAfterSeconds !== undefined && age > d.staleAfterSeconds * 1000) return { ...value, status: 'stale' };
  return value;
}

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
