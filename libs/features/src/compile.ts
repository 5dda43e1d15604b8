import {
  WINDOWS,
  type Condition,
  type EntityKind,
  type FeatureDefinition,
  type FeatureSet,
  type WindowName,
} from './definitions';
import { categoryOf, type FeatureEvent } from './event';
import { CONSENT_EVENT, planConsentChange } from './consent';
import { ITEM_EVENT, planItemUpdate } from './item-catalog';
import { AGGREGATE_SHARDS, entityGroup, featureKeys, groupOfKey, HLL_BUCKETS, hllBucketSeconds } from './keys';

/**
 * Turns feature definitions into what one event changes: a list of primitive operations for the
 * apply script (apply-script.ts), with every key they touch. Everything an event does to one build of
 * one tenant becomes a single atomic script call.
 */

/** A key of an apply-script call: its group's operations and its index there (1-based, as Lua's KEYS). */
export interface KeyRef {
  group: GroupOps;
  index: number;
}

/** Keys and operations of one group (one hash tag, so one slot) of an event: one atomic step of the apply script. */
export interface GroupOps {
  /** The group's name: an entity group's number or an aggregate shard's `a<s>` (keys.ts). */
  name: string;
  /** KEYS: the group's watermarks first (apply-script.ts), then every key the operations name. */
  keys: string[];
  args: (string | number)[];
  index: Map<string, number>;
}

/**
 * What one event does to one build, by group: each group's keys and operations become one apply-script call
 * (writer.ts). `shard` is the aggregate shard of the event's partition, where tenant and category state goes.
 */
export class OpList {
  readonly groups = new Map<string, GroupOps>();

  /**
   * `fenced`: keys that follow the watermarks in their group (the profile's merge and erasure marks, which the
   * apply script expects as KEYS[2] and KEYS[3]).
   */
  constructor(
    readonly prefix: string,
    readonly shard = 0,
    fenced: readonly string[] = []
  ) {
    for (const key of fenced) this.key(key);
  }

  /** The group `name`, created with its watermarks the first time. */
  group(name: string): GroupOps {
    let group = this.groups.get(name);
    if (!group) {
      const watermarks = featureKeys.watermarks(this.prefix, name);
      group = { name, keys: [watermarks], args: [], index: new Map([[watermarks, 1]]) };
      this.groups.set(name, group);
    }
    return group;
  }

  /** The key's reference in its group, adding the key (and the group) the first time. */
  key(key: string): KeyRef {
    const group = this.group(groupOfKey(key));
    let index = group.index.get(key);
    if (index === undefined) {
      index = group.keys.push(key);
      group.index.set(key, index);
    }
    return { group, index };
  }

  /** Operation `code` on the key `at`, with `args` (the Lua's; a KeyRef among them becomes its index). */
  op(code: string, at: KeyRef, ...args: (string | number | KeyRef)[]): void {
    const out = at.group.args;
    out.push(code, at.index);
    for (const arg of args) {
      if (typeof arg !== 'object') out.push(arg);
      else if (arg.group === at.group) out.push(arg.index);
      else throw new Error(`operation ${code} spans two key groups`);
    }
  }
}

export interface CompiledFeatureSet {
  version: number;
  /** Every feature by name. */
  features: ReadonlyMap<string, FeatureDefinition>;
  /** Writes the operations `event` implies for this set into `ops` (which knows the build and the shard). */
  plan(event: FeatureEvent, ops: OpList): void;
}

/** Key → seconds it lives after this event (the longest asked for). */
type Expiry = Map<string, number>;
type Planner = (event: FeatureEvent, ops: OpList, expire: Expiry) => void;

export function compileFeatureSet(set: FeatureSet): CompiledFeatureSet {
  // An entity's hash holds many features: it lives as long as the longest-lived of them needs, so that
  // writing one feature never cuts another's life short (reads apply each feature's own TTL).
  const hashTtl = new Map<EntityKind, number>();
  for (const f of set.features) {
    const kind = f.aggregation.kind === 'cooccurrence' ? 'user' : f.entity; // its recent items: user hash
    hashTtl.set(kind, Math.max(hashTtl.get(kind) ?? 0, f.ttlSeconds));
  }
  const byType = new Map<string, { definition: FeatureDefinition; planner: Planner }[]>();
  for (const definition of set.features) {
    if (definition.aggregation.kind === 'ratio') continue; // computed when read
    const planner = plannerFor(definition, hashTtl);
    for (const type of definition.events) {
      const list = byType.get(type) ?? [];
      list.push({ definition, planner });
      byType.set(type, list);
    }
  }
  const any = byType.get('*') ?? [];
  const userCategoryTtl = hashTtl.get('user_category') ?? 0;
  return {
    version: set.version,
    features: new Map(set.features.map((f) => [f.name, f])),
    plan: (event, ops) => {
      // Item events describe the catalog, consent events what a user allows: neither is activity, so they
      // feed no feature, not even "any event" ones.
      if (event.type === ITEM_EVENT) return planItemUpdate(event, ops);
      if (event.type === CONSENT_EVENT) return planConsentChange(event, ops);
      const expire: Expiry = new Map();
      let userCategory = false;
      for (const { definition, planner } of [...(byType.get(event.type) ?? []), ...any]) {
        if (definition.where && !definition.where.every((c) => holds(c, event))) continue;
        planner(event, ops, expire);
        if (definition.entity === 'user_category') userCategory = true;
      }
      // The user's categories with user×category state, so that a merge of two profiles finds them all.
      const category = userCategory ? categoryOf(event) : undefined;
      if (category) {
        const key = featureKeys.userCategories(ops.prefix, event.subject);
        ops.op('A', ops.key(key), category);
        expire.set(key, userCategoryTtl);
      }
      // Numbers Redis takes as arguments travel as strings: formatting them in Lua costs Redis a printf each.
      for (const [key, ttl] of expire) ops.op('E', ops.key(key), String(ttl));
    },
  };
}

/** The ids of the entities of `kind` an event is about. */
export function entityIds(kind: EntityKind, event: FeatureEvent): string[] {
  switch (kind) {
    case 'user':
      return [event.subject];
    case 'item':
      return [...new Set(event.itemIds)];
    case 'user_category': {
      const category = categoryOf(event);
      return category ? [`${event.subject}|${category}`] : [];
    }
    case 'category': {
      const category = categoryOf(event);
      return category ? [category] : [];
    }
    case 'tenant':
      return ['*'];
  }
}

/** Index of the time bucket `seconds` falls in, for a window. */
export function bucketOf(window: Exclude<WindowName, 'all'>, seconds: number): number {
  return Math.floor(seconds / WINDOWS[window].bucketSeconds);
}

function plannerFor(f: FeatureDefinition, hashTtl: ReadonlyMap<EntityKind, number>): Planner {
  const a = f.aggregation;
  const ttl = f.ttlSeconds;
  /** Marks a key to expire `seconds` after this update (the longest of an event's wins). */
  const touch = (expire: Expiry, key: string, seconds = ttl): void => {
    expire.set(key, Math.max(expire.get(key) ?? 0, seconds));
  };
  const entity = (ops: OpList, expire: Expiry, id: string): KeyRef => {
    const key = featureKeys.entity(ops.prefix, f.entity, id, ops.shard);
    touch(expire, key, hashTtl.get(f.entity));
    return ops.key(key);
  };
  const ring = (
    ops: OpList,
    k: KeyRef,
    field: string,
    window: WindowName,
    event: FeatureEvent,
    value: number
  ): void => {
    if (window === 'all') ops.op('T', k, field, value, event.occurredAtMs);
    else ops.op('R', k, field, bucketOf(window, event.occurredAtMs / 1000), WINDOWS[window].buckets, value);
  };

  switch (a.kind) {
    case 'count':
    case 'sum':
      return (event, ops, expire) => {
        const value = a.kind === 'count' ? 1 : event.properties[a.property];
        if (typeof value !== 'number' || !Number.isFinite(value)) return;
        for (const id of entityIds(f.entity, event)) ring(ops, entity(ops, expire, id), f.name, a.window, event, value);
      };
    case 'last_seen':
      return (event, ops, expire) => {
        for (const id of entityIds(f.entity, event))
          ops.op('S', entity(ops, expire, id), f.name, String(event.occurredAtMs));
      };
    case 'last_n':
      return (event, ops, expire) => {
        if (event.itemIds.length === 0) return;
        for (const id of entityIds(f.entity, event)) {
          const k = entity(ops, expire, id);
          for (const item of new Set(event.itemIds)) ops.op('N', k, f.name, item, event.occurredAtMs, a.n);
        }
      };
    case 'item_set':
      return (event, ops, expire) => {
        if (event.itemIds.length === 0) return;
        for (const id of entityIds(f.entity, event)) {
          const key = featureKeys.itemSet(ops.prefix, f.name, f.entity, id, ops.shard);
          const k = ops.key(key);
          for (const item of new Set(event.itemIds)) ops.op('Q', k, item, event.occurredAtMs, a.max);
          touch(expire, key);
        }
      };
    case 'distinct_count':
      return (event, ops, expire) => {
        const elements = a.of === 'item' ? [...new Set(event.itemIds)] : [event.subject];
        if (elements.length === 0) return;
        const bucketSeconds = hllBucketSeconds(a.window);
        const bucket = a.window === 'all' ? 0 : Math.floor(event.occurredAtMs / 1000 / bucketSeconds);
        // A bucket is needed until the window has slid past it.
        const keep = a.window === 'all' ? ttl : Math.ceil(bucketSeconds * (HLL_BUCKETS + 1));
        // A tenant's or category's elements are split over the aggregate shards by the element, not the event:
        // the shards count disjoint sets, and their counts add up when read (read-plan.ts).
        const aggregate = f.entity === 'tenant' || f.entity === 'category';
        for (const id of entityIds(f.entity, event)) {
          for (const element of elements) {
            const shard = aggregate ? entityGroup(element) % AGGREGATE_SHARDS : ops.shard;
            const key = featureKeys.hll(ops.prefix, f.name, f.entity, id, bucket, shard);
            ops.op('H', ops.key(key), element);
            touch(expire, key, keep);
          }
        }
      };
    case 'decayed_count':
      return (event, ops, expire) => {
        const category = categoryOf(event);
        if (!category) return;
        for (const id of entityIds(f.entity, event)) {
          ops.op(
            'D',
            entity(ops, expire, id),
            f.name,
            category,
            1,
            event.occurredAtMs / 1000,
            a.halfLifeSeconds,
            a.top
          );
        }
      };
    case 'top_items':
      return (event, ops, expire) => {
        if (event.itemIds.length === 0) return;
        for (const id of entityIds(f.entity, event)) {
          const zsetKey = featureKeys.topItems(ops.prefix, f.name, f.entity, id, ops.shard);
          const k = ops.key(zsetKey);
          const landmarks = ops.key(featureKeys.landmarks(zsetKey));
          touch(expire, zsetKey);
          for (const item of new Set(event.itemIds)) {
            ops.op('Z', k, landmarks, zsetKey, item, '1', event.occurredAtMs / 1000, a.halfLifeSeconds ?? 0, a.top);
          }
        }
      };
    case 'trending':
      return (event, ops, expire) => {
        for (const id of entityIds(f.entity, event)) {
          const k = entity(ops, expire, id);
          ring(ops, k, `${f.name}#s`, a.short, event, 1);
          ring(ops, k, `${f.name}#l`, a.long, event, 1);
        }
      };
    case 'cooccurrence':
      return (event, ops, expire) => {
        const items = [...new Set(event.itemIds)];
        if (items.length === 0) return;
        // The user's recent items decide which pairs are new (apply-script.ts), counted in the items' zsets (in
        // their pair groups) by the same script where this Redis serves them, else by the writer.
        const userKey = featureKeys.entity(ops.prefix, 'user', event.subject);
        touch(expire, userKey, hashTtl.get('user'));
        const k = ops.key(userKey);
        const pending = ops.key(featureKeys.pendingPairs(ops.prefix, k.group.name));
        const pairPrefix = `${ops.prefix}k`; // + the item's group + '}:co:…' (keys.ts cooccurrence)
        ops.op(
          'C',
          k,
          pending,
          `~co:${f.name}`,
          a.recent,
          f.name,
          a.directed ? 1 : 0,
          a.top,
          String(ttl),
          pairPrefix,
          items.length,
          ...items
        );
      };
    case 'ratio':
      return () => undefined;
  }
}

function valueAt(path: string, event: FeatureEvent): string | number | boolean | undefined {
  if (path === 'type') return event.type;
  if (path.startsWith('properties.')) return event.properties[path.slice('properties.'.length)];
  return event.context[path];
}

function holds(condition: Condition, event: FeatureEvent): boolean {
  const value = valueAt(condition.path, event);
  const target = condition.value;
  switch (condition.op) {
    case 'exists':
      return value !== undefined && value !== '';
    case 'eq':
      return value === target;
    case 'ne':
      return value !== target;
    case 'in':
      return Array.isArray(target) && value !== undefined && (target as unknown[]).includes(value);
    case 'gt':
      return typeof value === 'number' && value > (target as number);
    case 'gte':
      return typeof value === 'number' && value >= (target as number);
    case 'lt':
      return typeof value === 'number' && value < (target as number);
    case 'lte':
      return typeof value === 'number' && value <= (target as number);
  }
}
