import { subjectToken } from '@dmp/messaging';

import { WINDOWS, type EntityKind, type WindowName } from './definitions';

/**
 * Redis key layout, version 3: a tenant spreads over a Redis Cluster. A build (`b1`, `b2`, …) is one complete copy
 * of a tenant's features: a rebuild fills a new build from the event stream while live traffic keeps writing, then
 * readers switch to it. Its keys fall into groups, each group one hash tag, so one slot:
 *
 * - an **entity group** `{<t>:<n>}`, n = FNV-1a of the entity id mod 16,384 (`ENTITY_GROUPS`): the keys of the
 *   profiles, items and series whose ids hash to n. A profile's keys (features, distinct counts, item sets,
 *   user×category state, consent) are in its id's group, an item's in its id's;
 * - an **aggregate shard** `{<t>:a<s>}`, s = the event's EVENTS partition mod 32 (`AGGREGATE_SHARDS`): tenant-wide
 *   and per-category state (popular and trending items, new arrivals) as 32 partial copies, each written by the
 *   partitions of its shard and merged when read (reader.ts), so that no slot takes every event.
 *
 * An event's updates are one script per group it touches (writer.ts), and each group keeps its own watermarks:
 *
 * | key (after `fs:v3:<b>:{<t>:<group>}:`) | type   | holds                                                        |
 * |-----------------------------------------|--------|--------------------------------------------------------------|
 * | pw                                      | hash   | partition → stream sequence of the last event applied here   |
 * | cp                                      | hash   | partition → co-occurrence pairs of that last event (writer)  |
 * | e:<kind>:<entity id>                    | hash   | feature name → packed state (rings, totals, lists, maps)     |
 * | h:<feature>:<kind>:<id>:<n>             | HLL    | distinct elements of one time bucket of a window             |
 * | is:<feature>:<kind>:<id>                | zset   | item sets: item → time (ms) of the entity's latest event     |
 * | z:<feature>:<kind>:<id>                 | zset   | top items, scores forward-decayed from a landmark            |
 * | zl                                      | hash   | landmark (unix s) per top-items zset of the group            |
 * | co:<feature>:<item id>   (group k<n>)   | zset   | items used by the same users → number of such users (capped) |
 * | ucx:<user>                              | set    | categories the user has user×category features in           |
 * | mv:<profile>                            | string | the profile this one was merged into: no more writes here    |
 * | ab:<profile>                            | hash   | merges absorbed into the profile (a day): redeliveries       |
 * | mx:<from>:<event id>:<key>              | any    | a merged profile's key, staged in its new profile's group    |
 *
 * The groups `k<n>` hold the co-occurrence zsets of the items whose ids hash to n: an event counts its new pairs
 * there once its user's group said which pairs are new, so they must not share that group.
 *
 * Per build, outside the groups: `fs:v3:<b>:{<t>:cu}:cu` (partition → its rebuild catch-up's summary once caught up)
 * and `…:ca` (partition → stream sequence the catch-up applied up to). Outside the builds, the identity graph
 * (identity.ts, still one slot per tenant) and the similarity table (similar-items.ts).
 *
 * Entity kinds in keys: u (user), i (item), uc (user×category, id "<user>|<category>", in the user's group),
 * c (category), t (tenant, id "*"); categories and the tenant live in the aggregate shards.
 */
export const KEY_VERSION = 'v3';
export const ENTITY_GROUPS = 16_384;
export const AGGREGATE_SHARDS = 32;

export const KIND_CODES: Record<EntityKind, string> = {
  user: 'u',
  item: 'i',
  user_category: 'uc',
  category: 'c',
  tenant: 't',
};

/** A build's keys start with this, then the group (`7431` or `a5`), then `}:`. */
export function buildPrefix(tenantId: string, build: string): string {
  return `fs:${KEY_VERSION}:${build}:{${tenantId}:`;
}

/**
 * FNV-1a (32 bits) of the id's UTF-8 bytes, mod ENTITY_GROUPS: cheap, and spread evenly by any ids. The apply script
 * computes the same in Lua (group_of) for the co-occurrence zsets it names itself.
 */
export function entityGroup(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code > 0x7f) return fnvOfBytes(Buffer.from(id, 'utf8'));
    hash ^= code;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % ENTITY_GROUPS;
}

function fnvOfBytes(bytes: Buffer): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash >>> 0) % ENTITY_GROUPS;
}

/** The aggregate shard an event of `partition` writes to. */
export function aggregateShard(partition: number): number {
  return partition % AGGREGATE_SHARDS;
}

/** Every aggregate shard's group name, for readers that merge them. */
export const AGGREGATE_GROUPS: readonly string[] = Array.from({ length: AGGREGATE_SHARDS }, (_, s) => `a${s}`);

/** The start of the keys of a group of a build. */
export function groupPrefix(prefix: string, group: string | number): string {
  return `${prefix}${group}}:`;
}

/** The group of an entity's keys: its id's (a user×category's user's), or an aggregate shard's. */
export function groupOf(kind: EntityKind, id: string, shard: number): string {
  if (kind === 'tenant' || kind === 'category') return `a${shard}`;
  if (kind === 'user_category') return String(entityGroup(id.slice(0, id.lastIndexOf('|'))));
  return String(entityGroup(id));
}

/** The group named in a key (between its `{<tenant>:` and `}`). */
export function groupOfKey(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open);
  return key.slice(key.indexOf(':', open) + 1, close);
}

/**
 * Keys of a build, from its prefix. Entity keys of tenant and category features need the aggregate shard
 * (`shard`): the event's when writing, each shard in turn when reading.
 */
export const featureKeys = {
  watermarks: (prefix: string, group: string) => `${groupPrefix(prefix, group)}pw`,
  pendingPairs: (prefix: string, group: string) => `${groupPrefix(prefix, group)}cp`,
  caughtUp: (prefix: string) => `${groupPrefix(prefix, 'cu')}cu`,
  catchUpAt: (prefix: string) => `${groupPrefix(prefix, 'cu')}ca`,
  entity: (prefix: string, kind: EntityKind, id: string, shard = 0) =>
    `${groupPrefix(prefix, groupOf(kind, id, shard))}e:${KIND_CODES[kind]}:${id}`,
  hll: (prefix: string, feature: string, kind: EntityKind, id: string, bucket: number, shard = 0) =>
    `${groupPrefix(prefix, groupOf(kind, id, shard))}h:${feature}:${KIND_CODES[kind]}:${id}:${bucket}`,
  itemSet: (prefix: string, feature: string, kind: EntityKind, id: string, shard = 0) =>
    `${groupPrefix(prefix, groupOf(kind, id, shard))}is:${feature}:${KIND_CODES[kind]}:${id}`,
  topItems: (prefix: string, feature: string, kind: EntityKind, id: string, shard = 0) =>
    `${groupPrefix(prefix, groupOf(kind, id, shard))}z:${feature}:${KIND_CODES[kind]}:${id}`,
  /** The landmarks of the top-items zsets of the group `key` is in. */
  landmarks: (key: string) => `${key.slice(0, key.indexOf('}:') + 2)}zl`,
  /** In the item's pair group `k<n>`: counted after the user's group has said which pairs are new (writer.ts). */
  cooccurrence: (prefix: string, feature: string, item: string) =>
    `${groupPrefix(prefix, `k${entityGroup(item)}`)}co:${feature}:${item}`,
  userCategories: (prefix: string, user: string) => `${groupPrefix(prefix, entityGroup(user))}ucx:${user}`,
  movedTo: (prefix: string, profile: string) => `${groupPrefix(prefix, entityGroup(profile))}mv:${profile}`,
  absorbed: (prefix: string, profile: string) => `${groupPrefix(prefix, entityGroup(profile))}ab:${profile}`,
};

/**
 * When a profile was erased (ms), in its entity group but outside the builds, so that every build, also one
 * built later from the stream, refuses the profile's events from before. Named by subject token, like the
 * identity graph's tombstones: it holds no identifier.
 */
export function erasedKey(tenantId: string, profile: string): string {
  return `fs:${KEY_VERSION}:{${tenantId}:${entityGroup(profile)}}:er:${subjectToken(tenantId, profile)}`;
}

/** The tenant's identity graph keys (outside the builds, one slot per tenant): `fs:v2:{t}:`. */
export function tenantPrefix(tenantId: string): string {
  return `fs:v2:{${tenantId}}:`;
}

/** Distinct counts keep 6 HyperLogLogs per window: windows slide in sixths (an HLL cannot forget). */
export const HLL_BUCKETS = 6;

export function hllBucketSeconds(window: WindowName): number {
  if (window === 'all') return Number.POSITIVE_INFINITY;
  const { bucketSeconds, buckets } = WINDOWS[window];
  return (bucketSeconds * buckets) / HLL_BUCKETS;
}
