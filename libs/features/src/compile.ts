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
import { featureKeys, HLL_BUCKETS, hllBucketSeconds } from './keys';

/**
 * Turns feature definitions into what one event changes: a list of primitive operations for the
 * apply script (apply-script.ts), with every key they touch. Everything an event does to one build of
 * one tenant becomes a single atomic script call.
 */

/** Keys (1-based, as Lua's KEYS) and arguments of one apply-script call. */
export class OpList {
  readonly keys: string[] = [];
  readonly args: (string | number)[] = [];
  private readonly index = new Map<string, number>();

  /** KEYS index of `key`, adding it the first time. */
  key(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      this.keys.push(key);
      i = this.keys.length;
      this.index.set(key, i);
    }
    return i;
  }

  push(...args: (string | number)[]): void {
    for (const arg of args) this.args.push(arg);
  }
}

export interface CompiledFeatureSet {
  version: number;
  /** Every feature by name. */
  features: ReadonlyMap<string, FeatureDefinition>;
  /** Writes the operations `event` implies for this set into `ops`, under the build's key prefix. */
  plan(event: FeatureEvent, prefix: string, ops: OpList): void;
}

type Planner = (event: FeatureEvent, prefix: string, ops: OpList, expire: Map<number, number>) => void;

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
    plan: (event, prefix, ops) => {
      // Item events describe the catalog, consent events what a user allows: neither is activity, so they
      // feed no feature, not even "any event" ones.
      if (event.type === ITEM_EVENT) return planItemUpdate(event, prefix, ops);
      if (event.type === CONSENT_EVENT) return planConsentChange(event, prefix, ops);
      const expire = new Map<number, number>();
      let userCategory = false;
      for (const { definition, planner } of [...(byType.get(event.type) ?? []), ...any]) {
        if (definition.where && !definition.where.every((c) => holds(c, event))) continue;
        planner(event, prefix, ops, expire);
        if (definition.entity === 'user_category') userCategory = true;
      }
      // The user's categories with user×category state, so that a merge of two profiles finds them all.
      const category = userCategory ? categoryOf(event) : undefined;
      if (category) {
        const index = ops.key(featureKeys.userCategories(prefix, event.subject));
        ops.push('A', index, category);
        expire.set(index, userCategoryTtl);
      }
      // Numbers Redis takes as arguments travel as strings: formatting them in Lua costs Redis a printf each.
      for (const [keyIndex, ttl] of expire) ops.push('E', keyIndex, String(ttl));
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
  const touch = (expire: Map<number, number>, keyIndex: number, seconds = ttl): void => {
    expire.set(keyIndex, Math.max(expire.get(keyIndex) ?? 0, seconds));
  };
  const entity = (prefix: string, ops: OpList, expire: Map<number, number>, id: string): number => {
    const k = ops.key(featureKeys.entity(prefix, f.entity, id));
    touch(expire, k, hashTtl.get(f.entity));
    return k;
  };
  const ring = (
    ops: OpList,
    k: number,
    field: string,
    window: WindowName,
    event: FeatureEvent,
    value: number
  ): void => {
    if (window === 'all') ops.push('T', k, field, value, event.occurredAtMs);
    else ops.push('R', k, field, bucketOf(window, event.occurredAtMs / 1000), WINDOWS[window].buckets, value);
  };

  switch (a.kind) {
    case 'count':
    case 'sum':
      return (event, prefix, ops, expire) => {
        const value = a.kind === 'count' ? 1 : event.properties[a.property];
        if (typeof value !== 'number' || !Number.isFinite(value)) return;
        for (const id of entityIds(f.entity, event))
          ring(ops, entity(prefix, ops, expire, id), f.name, a.window, event, value);
      };
    case 'last_seen':
      return (event, prefix, ops, expire) => {
        for (const id of entityIds(f.entity, event))
          ops.push('S', entity(prefix, ops, expire, id), f.name, String(event.occurredAtMs));
      };
    case 'last_n':
      return (event, prefix, ops, expire) => {
        if (event.itemIds.length === 0) return;
        for (const id of entityIds(f.entity, event)) {
          const k = entity(prefix, ops, expire, id);
          for (const item of new Set(event.itemIds)) ops.push('N', k, f.name, item, event.occurredAtMs, a.n);
        }
      };
    case 'item_set':
      return (event, prefix, ops, expire) => {
        if (event.itemIds.length === 0) return;
        for (const id of entityIds(f.entity, event)) {
          const k = ops.key(featureKeys.itemSet(prefix, f.name, f.entity, id));
          for (const item of new Set(event.itemIds)) ops.push('Q', k, item, event.occurredAtMs, a.max);
          touch(expire, k);
        }
      };
    case 'distinct_count':
      return (event, prefix, ops, expire) => {
        const elements = a.of === 'item' ? [...new Set(event.itemIds)] : [event.subject];
        if (elements.length === 0) return;
        const bucketSeconds = hllBucketSeconds(a.window);
        const bucket = a.window === 'all' ? 0 : Math.floor(event.occurredAtMs / 1000 / bucketSeconds);
        // A bucket is needed until the window has slid past it.
        const keep = a.window === 'all' ? ttl : Math.ceil(bucketSeconds * (HLL_BUCKETS + 1));
        for (const id of entityIds(f.entity, event)) {
          const k = ops.key(featureKeys.hll(prefix, f.name, f.entity, id, bucket));
          for (const element of elements) ops.push('H', k, element);
          touch(expire, k, keep);
        }
      };
    case 'decayed_count':
      return (event, prefix, ops, expire) => {
        const category = categoryOf(event);
        if (!category) return;
        for (const id of entityIds(f.entity, event)) {
          ops.push(
            'D',
            entity(prefix, ops, expire, id),
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
      return (event, prefix, ops, expire) => {
        if (event.itemIds.length === 0) return;
        const landmarks = ops.key(featureKeys.landmarks(prefix));
        for (const id of entityIds(f.entity, event)) {
          const zsetKey = featureKeys.topItems(prefix, f.name, f.entity, id);
          const k = ops.key(zsetKey);
          touch(expire, k);
          for (const item of new Set(event.itemIds)) {
            ops.push('Z', k, landmarks, zsetKey, item, '1', event.occurredAtMs / 1000, a.halfLifeSeconds ?? 0, a.top);
          }
        }
      };
    case 'trending':
      return (event, prefix, ops, expire) => {
        for (const id of entityIds(f.entity, event)) {
          const k = entity(prefix, ops, expire, id);
          ring(ops, k, `${f.name}#s`, a.short, event, 1);
          ring(ops, k, `${f.name}#l`, a.long, event, 1);
        }
      };
    case 'cooccurrence':
      return (event, prefix, ops, expire) => {
        const items = [...new Set(event.itemIds)];
        if (items.length === 0) return;
        const userKey = ops.key(featureKeys.entity(prefix, 'user', event.subject));
        touch(expire, userKey, hashTtl.get('user'));
        ops.push(
          'C',
          userKey,
          `~co:${f.name}`,
          a.recent,
          a.top,
          featureKeys.cooccurrencePrefix(prefix, f.name),
          String(ttl),
          a.directed ? 1 : 0,
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
