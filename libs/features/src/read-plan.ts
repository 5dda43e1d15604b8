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

/**
 * A Redis command issued once per entity for a feature kept outside the entity's hash. `shard`: the aggregate
 * shard read (keys.ts), for tenant and category features, which are read from each shard and merged.
 */
type Command = (redis: Redis, prefix: string, id: string, nowMs: number, shard: number) => Promise<unknown>;

/** Two shards' states of one hash field, as one (tenant and category features, keys.ts). */
type FieldMerge = (a: Buffer | null, b: Buffer | null) => Buffer | null;
/** Every shard's reply to one command, as one reply. */
type CommandMerge = (replies: readonly unknown[], nowMs: number) => unknown;

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
  /** How each field and each command's replies merge over aggregate shards. */
  fieldMerges: FieldMerge[];
  commandMerges: CommandMerge[];
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

  const plan: ReadPlan = {
    fields: [],
    commands: [],
    decoders: [],
    asked: asked.map((d) => position.get(d.name)!),
    fieldMerges: [],
    commandMerges: [],
  };
  const field = (name: string, merge: FieldMerge): number => {
    plan.fieldMerges.push(merge);
    return plan.fields.push(name) - 1;
  };
  const command = (c: Command, merge: CommandMerge): number => {
    plan.commandMerges.push(merge);
    return plan.commands.push(c) - 1;
  };
  plan.decoders = needed.map((d) => decoderFor(d, field, command, position));
  return plan;
}

function decoderFor(
  d: FeatureDefinition,
  field: (name: string, merge: FieldMerge) => number,
  command: (c: Command, merge: CommandMerge) => number,
  position: ReadonlyMap<string, number>
): Decode {
  const a = d.aggregation;
  switch (a.kind) {
    case 'count':
    case 'sum': {
      const f = field(d.name, a.window === 'all' ? mergeTotals : mergeRings);
      return (hash, _r, _o, _v, nowMs) => withFreshness(windowed(hash[f] ?? null, a.window, nowMs), d, nowMs);
    }
    case 'last_seen': {
      const f = field(d.name, (x, y) => (Number(x ?? 0) >= Number(y ?? 0) ? x : y));
      return (hash, _r, _o, _v, nowMs) => {
        const raw = hash[f];
        if (!raw) return MISSING;
        const ms = Number(raw.toString());
        return withFreshness({ status: 'present', kind: 'number', value: ms, eventTimeMs: ms }, d, nowMs);
      };
    }
    case 'last_n': {
      const f = field(d.name, (x, y) => mergeLists(x, y, a.n));
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
      const c = command(
        (redis, prefix, id, _nowMs, shard) =>
          redis.zrevrange(featureKeys.itemSet(prefix, d.name, d.entity, id, shard), 0, LIST_LIMIT - 1, 'WITHSCORES'),
        (replies) => mergeScored(replies as string[][], (x, y) => Math.max(x, y))
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
      const f = field(d.name, (x, y) => mergeDecayed(x, y, a.halfLifeSeconds));
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
      const short = field(`${d.name}#s`, mergeRings);
      const long = field(`${d.name}#l`, mergeRings);
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
      // Shards of a tenant or category count disjoint elements (compile.ts): their counts add up.
      const c = command(
        (redis, prefix, id, nowMs, shard) =>
          redis.pfcount(
            ...(a.window === 'all'
              ? [featureKeys.hll(prefix, d.name, d.entity, id, 0, shard)]
              : Array.from({ length: HLL_BUCKETS }, (_, k) => {
                  const bucket = Math.floor(nowMs / 1000 / hllBucketSeconds(a.window)) - k;
                  return featureKeys.hll(prefix, d.name, d.entity, id, bucket, shard);
                }))
          ),
        (replies) => (replies as number[]).reduce((sum, n) => sum + n, 0)
      );
      return (_h, replies, own) => {
        const count = replies[own + c] as number;
        return count === 0 ? MISSING : { status: 'present', kind: 'number', value: count };
      };
    }
    case 'top_items': {
      const c = command(
        (redis, prefix, id, _nowMs, shard) => {
          const key = featureKeys.topItems(prefix, d.name, d.entity, id, shard);
          return Promise.all([
            redis.zrevrange(key, 0, LIST_LIMIT - 1, 'WITHSCORES'),
            a.halfLifeSeconds ? redis.hget(featureKeys.landmarks(key), key) : null,
          ]);
        },
        // Each shard's scores brought to now, then added up: a score already at now has no landmark.
        (replies, nowMs) => [
          mergeScored(
            (replies as [string[], string | null][]).map(([flat, landmark]) =>
              scaled(flat, decayScale(landmark, a.halfLifeSeconds, nowMs))
            ),
            (x, y) => x + y
          ),
          null,
        ]
      );
      return (_h, replies, own, _v, nowMs) => {
        const [flat, landmark] = replies[own + c] as [string[], string | null];
        if (flat.length === 0) return MISSING;
        const items = scaled(flat, decayScale(landmark, a.halfLifeSeconds, nowMs));
        return { status: 'present', kind: 'scored_items', value: toScoredItems(items) };
      };
    }
    case 'cooccurrence': {
      const c = command(
        (redis, prefix, id) =>
          redis.zrevrange(featureKeys.cooccurrence(prefix, d.name, id), 0, LIST_LIMIT - 1, 'WITHSCORES'),
        (replies) => replies[0]
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

/** Forward-decayed scores are brought to now by 2^((landmark - now) / half-life); without a landmark, as they are. */
export function decayScale(landmark: string | null, halfLifeSeconds: number | undefined, nowMs: number): number {
  return halfLifeSeconds && landmark ? 2 ** ((Number(landmark) - nowMs / 1000) / halfLifeSeconds) : 1;
}

/** A flat `member score` list with every score multiplied by `scale`. */
export function scaled(flat: readonly string[], scale: number): string[] {
  if (scale === 1) return [...flat];
  return flat.map((x, i) => (i % 2 === 1 ? String(Number(x) * scale) : x));
}

/** Flat `member score` lists as one, best first (as ZREVRANGE), each member's scores combined by `combine`. */
export function mergeScored(
  lists: readonly (readonly string[])[],
  combine: (x: number, y: number) => number,
  limit = LIST_LIMIT
): string[] {
  const scores = new Map<string, number>();
  for (const flat of lists) {
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = flat[i]!;
      const score = Number(flat[i + 1]);
      const held = scores.get(member);
      scores.set(member, held === undefined ? score : combine(held, score));
    }
  }
  // Ties as ZREVRANGE orders them, the greater member first: merged lists rank as one zset would.
  const ranked = [...scores].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? 1 : -1)).slice(0, limit);
  return ranked.flatMap(([member, score]) => [member, String(score)]);
}

/** Rings of (bucket, value) slots: the same bucket adds up, a later bucket replaces an earlier one. */
function mergeRings(x: Buffer | null, y: Buffer | null): Buffer | null {
  if (!x || !y || x.length !== y.length) return x ?? y;
  const out = Buffer.from(x);
  for (let slot = 0; slot + 12 <= y.length; slot += 12) {
    const [bx, by] = [out.readInt32LE(slot), y.readInt32LE(slot)];
    if (by === bx) out.writeDoubleLE(out.readDoubleLE(slot + 4) + y.readDoubleLE(slot + 4), slot + 4);
    else if (by > bx) y.copy(out, slot, slot, slot + 12);
  }
  return out;
}

/** Totals (value, time of the newest event): values add up, the newest time stays. */
function mergeTotals(x: Buffer | null, y: Buffer | null): Buffer | null {
  if (!x || !y || x.length !== 16 || y.length !== 16) return x ?? y;
  const out = Buffer.alloc(16);
  out.writeDoubleLE(x.readDoubleLE(0) + y.readDoubleLE(0), 0);
  out.writeDoubleLE(Math.max(x.readDoubleLE(8), y.readDoubleLE(8)), 8);
  return out;
}

/** Last-n lists ([item, time], newest first): each item at its latest time, the newest n kept. */
function mergeLists(x: Buffer | null, y: Buffer | null, n: number): Buffer | null {
  if (!x || !y) return x ?? y;
  const latest = new Map<string, number>();
  for (const raw of [x, y])
    for (const [item, time] of JSON.parse(raw.toString()) as [string, number][])
      latest.set(item, Math.max(time, latest.get(item) ?? -Infinity));
  const list = [...latest].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).slice(0, n);
  return Buffer.from(JSON.stringify(list));
}

/** Decayed maps (member → [value, time of that value]): values brought to the later time, then added. */
function mergeDecayed(x: Buffer | null, y: Buffer | null, halfLifeSeconds: number): Buffer | null {
  if (!x || !y) return x ?? y;
  const map = JSON.parse(x.toString()) as Record<string, [number, number]>;
  for (const [member, [value, time]] of Object.entries(JSON.parse(y.toString()) as Record<string, [number, number]>)) {
    const held = map[member];
    if (!held) map[member] = [value, time];
    else if (time >= held[1]) map[member] = [held[0] * 2 ** (-(time - held[1]) / halfLifeSeconds) + value, time];
    else map[member] = [held[0] + value * 2 ** (-(held[1] - time) / halfLifeSeconds), held[1]];
  }
  return Buffer.from(JSON.stringify(map));
}
