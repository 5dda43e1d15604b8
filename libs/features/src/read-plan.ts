import type { Redis } from 'ioredis';

import { WINDOWS, type EntityKind, type FeatureDefinition, type WindowName } from './definitions';
import { featureKeys, HLL_BUCKETS, hllBucketSeconds } from './keys';

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

export const MISSING: FeatureValue = { status: 'missing' };

/** Entries returned for list-valued features (last items, top items, co-occurrence, affinities). */
export const LIST_LIMIT = 50;

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

/** A Redis command issued once per entity for a feature kept outside the entity's hash. */
type Command = (redis: Redis, prefix: string, id: string, nowMs: number) => Promise<unknown>;

/**
 * Turns one entity's replies into one feature's value: `hash` is its HMGET reply, `replies[own + k]` the
 * reply to the plan's k-th command, `values` the values decoded before this one (a ratio's parts).
 */
type Decode = (
  hash: readonly (Buffer | null)[],
  replies: readonly unknown[],
  own: number,
  values: readonly FeatureValue[],
  nowMs: number
) => FeatureValue;

/**
 * How to read a list of features of one entity kind: one HMGET of `fields` and each of `commands` per
 * entity, then `decoders` in order (ratios after their parts); `asked[i]` is the decoder of the i-th name.
 * Worked out once per feature set and list of names, not once per entity.
 */
export interface ReadPlan {
  fields: string[];
  commands: Command[];
  decoders: Decode[];
  asked: number[];
}

// Plans per feature set (a reloaded set is a new map, so its plans go with the old one).
const plans = new WeakMap<ReadonlyMap<string, FeatureDefinition>, Map<string, ReadPlan>>();
const PLANS_PER_SET = 1_000;

export function readPlan(
  features: ReadonlyMap<string, FeatureDefinition>,
  entity: EntityKind,
  names: readonly string[]
): ReadPlan {
  let bySignature = plans.get(features);
  if (!bySignature) plans.set(features, (bySignature = new Map<string, ReadPlan>()));
  const signature = `${entity}\n${names.join('\n')}`;
  let plan = bySignature.get(signature);
  if (!plan) {
    plan = compilePlan(features, entity, names);
    if (bySignature.size < PLANS_PER_SET) bySignature.set(signature, plan);
  }
  return plan;
}

function compilePlan(
  features: ReadonlyMap<string, FeatureDefinition>,
  entity: EntityKind,
  names: readonly string[]
): ReadPlan {
  const asked = names.map((name, i) => {
    const definition = features.get(name);
    if (!definition) throw new FeatureLookupError(i, `unknown feature "${name.slice(0, 100)}"`);
    if (definition.entity !== entity)
      throw new FeatureLookupError(i, `"${name}" is a ${definition.entity} feature, not a ${entity} feature`);
    return definition;
  });
  const needed: FeatureDefinition[] = [];
  const position = new Map<string, number>();
  const need = (d: FeatureDefinition): number => {
    let at = position.get(d.name);
    if (at === undefined) {
      position.set(d.name, (at = needed.length));
      needed.push(d);
    }
    return at;
  };
  for (const d of asked) {
    if (d.aggregation.kind !== 'ratio') need(d);
    else for (const part of [d.aggregation.numerator, d.aggregation.denominator]) need(features.get(part)!);
  }
  for (const d of asked) if (d.aggregation.kind === 'ratio') need(d); // ratios last: read from their parts

  const plan: ReadPlan = { fields: [], commands: [], decoders: [], asked: asked.map((d) => position.get(d.name)!) };
  const field = (name: string): number => plan.fields.push(name) - 1;
  const command = (c: Command): number => plan.commands.push(c) - 1;
  plan.decoders = needed.map((d) => decoderFor(d, field, command, position));
  return plan;
}

function decoderFor(
  d: FeatureDefinition,
  field: (name: string) => number,
  command: (c: Command) => number,
  position: ReadonlyMap<string, number>
): Decode {
  const a = d.aggregation;
  switch (a.kind) {
    case 'count':
    case 'sum': {
      const f = field(d.name);
      return (hash, _r, _o, _v, nowMs) => withFreshness(windowed(hash[f] ?? null, a.window, nowMs), d, nowMs);
    }
    case 'last_seen': {
      const f = field(d.name);
      return (hash, _r, _o, _v, nowMs) => {
        const raw = hash[f];
        if (!raw) return MISSING;
        const ms = Number(raw.toString());
        return withFreshness({ status: 'present', kind: 'number', value: ms, eventTimeMs: ms }, d, nowMs);
      };
    }
    case 'last_n': {
      const f = field(d.name);
      return (hash, _r, _o, _v, nowMs) => {
        const raw = hash[f];
        const list = raw ? (JSON.parse(raw.toString()) as [string, number][]) : [];
        if (list.length === 0) return MISSING;
        const items: ScoredItem[] = [];
        let latest = -Infinity;
        for (const [itemId, time] of list) {
          if (time > latest) latest = time;
          if (items.length < LIST_LIMIT) items.push({ itemId, score: time });
        }
        return withFreshness({ status: 'present', kind: 'scored_items', value: items, eventTimeMs: latest }, d, nowMs);
      };
    }
    case 'item_set': {
      // For reading a profile: the newest LIST_LIMIT items with their times (Recommend reads the whole set).
      const c = command((redis, prefix, id) =>
        redis.zrevrange(featureKeys.itemSet(prefix, d.name, d.entity, id), 0, LIST_LIMIT - 1, 'WITHSCORES')
      );
      return (_h, replies, own, _v, nowMs) => {
        const items = toScoredItems(replies[own + c] as string[]);
        if (items.length === 0) return MISSING;
        return withFreshness(
          { status: 'present', kind: 'scored_items', value: items, eventTimeMs: items[0]!.score },
          d,
          nowMs
        );
      };
    }
    case 'decayed_count': {
      const f = field(d.name);
      return (hash, _r, _o, _v, nowMs) => {
        const raw = hash[f];
        if (!raw) return MISSING;
        const map = JSON.parse(raw.toString()) as Record<string, [number, number]>;
        const nowS = nowMs / 1000;
        const items: ScoredItem[] = [];
        let latest = -Infinity;
        for (const itemId in map) {
          const [value, time] = map[itemId]!;
          if (time > latest) latest = time;
          items.push({ itemId, score: value * 2 ** (-(nowS - time) / a.halfLifeSeconds) });
        }
        if (items.length === 0) return MISSING;
        items.sort((x, y) => y.score - x.score || (x.itemId < y.itemId ? -1 : 1));
        if (items.length > a.top) items.length = a.top;
        return withFreshness(
          { status: 'present', kind: 'scored_items', value: items, eventTimeMs: latest * 1000 },
          d,
          nowMs
        );
      };
    }
    case 'trending': {
      const short = field(`${d.name}#s`);
      const long = field(`${d.name}#l`);
      const seconds = (w: keyof typeof WINDOWS): number => WINDOWS[w].bucketSeconds * WINDOWS[w].buckets;
      return (hash, _r, _o, _v, nowMs) => {
        const s = windowed(hash[short] ?? null, a.short, nowMs);
        const l = windowed(hash[long] ?? null, a.long, nowMs);
        if (
          l.status === 'missing' ||
          l.kind !== 'number' ||
          l.value === 0 ||
          s.status === 'missing' ||
          s.kind !== 'number'
        )
          return MISSING;
        // Rate in the short window over the rate in the long one: above 1 means rising.
        const value = s.value / seconds(a.short) / (l.value / seconds(a.long));
        return withFreshness(
          {
            status: 'present',
            kind: 'number',
            value,
            ...(l.eventTimeMs !== undefined && { eventTimeMs: l.eventTimeMs }),
          },
          d,
          nowMs
        );
      };
    }
    case 'distinct_count': {
      const c = command((redis, prefix, id, nowMs) =>
        redis.pfcount(
          ...(a.window === 'all'
            ? [featureKeys.hll(prefix, d.name, d.entity, id, 0)]
            : Array.from({ length: HLL_BUCKETS }, (_, k) => {
                const bucket = Math.floor(nowMs / 1000 / hllBucketSeconds(a.window)) - k;
                return featureKeys.hll(prefix, d.name, d.entity, id, bucket);
              }))
        )
      );
      return (_h, replies, own) => {
        const count = replies[own + c] as number;
        return count === 0 ? MISSING : { status: 'present', kind: 'number', value: count };
      };
    }
    case 'top_items': {
      const c = command((redis, prefix, id) => {
        const key = featureKeys.topItems(prefix, d.name, d.entity, id);
        return Promise.all([
          redis.zrevrange(key, 0, LIST_LIMIT - 1, 'WITHSCORES'),
          a.halfLifeSeconds ? redis.hget(featureKeys.landmarks(prefix), key) : null,
        ]);
      });
      return (_h, replies, own, _v, nowMs) => {
        const [flat, landmark] = replies[own + c] as [string[], string | null];
        if (flat.length === 0) return MISSING;
        // Forward-decayed scores, brought to now: score x 2^((landmark - now) / half-life).
        const scale = a.halfLifeSeconds && landmark ? 2 ** ((Number(landmark) - nowMs / 1000) / a.halfLifeSeconds) : 1;
        const items = toScoredItems(flat);
        for (const item of items) item.score *= scale;
        return { status: 'present', kind: 'scored_items', value: items };
      };
    }
    case 'cooccurrence': {
      const c = command((redis, prefix, id) =>
        redis.zrevrange(featureKeys.cooccurrencePrefix(prefix, d.name) + id, 0, LIST_LIMIT - 1, 'WITHSCORES')
      );
      return (_h, replies, own) => {
        const items = toScoredItems(replies[own + c] as string[]);
        return items.length === 0 ? MISSING : { status: 'present', kind: 'scored_items', value: items };
      };
    }
    case 'ratio': {
      const numerator = position.get(a.numerator)!;
      const denominator = position.get(a.denominator)!;
      return (_h, _r, _o, values) => {
        const num = values[numerator]!;
        const den = values[denominator]!;
        return num.status !== 'missing' &&
          den.status !== 'missing' &&
          num.kind === 'number' &&
          den.kind === 'number' &&
          den.value > 0
          ? {
              status: num.status === 'stale' || den.status === 'stale' ? 'stale' : 'present',
              kind: 'number',
              value: num.value / den.value,
            }
          : MISSING;
      };
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
  // A DataView's reads compile to plain loads; Buffer's readDoubleLE copies byte by byte.
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let sum = 0;
  let latest = -1;
  for (let slot = 0; slot < buckets; slot++) {
    const bucket = view.getInt32(slot * 12, true);
    const value = view.getFloat64(slot * 12 + 4, true);
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

export function toScoredItems(flat: string[]): ScoredItem[] {
  const items: ScoredItem[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) items.push({ itemId: flat[i]!, score: Number(flat[i + 1]) });
  return items;
}
