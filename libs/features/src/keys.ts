import { WINDOWS, type EntityKind, type WindowName } from './definitions';

/**
 * Redis key layout, version 2. Every key of a tenant shares the hash tag `{<tenant>}`, so the keys one
 * event touches live in one slot and all its updates run as one atomic script, also on Redis Cluster.
 * A build (`b1`, `b2`, …) is one complete copy of a tenant's features: a rebuild fills a new build from
 * the event stream while live traffic keeps writing, then readers switch to it.
 *
 * | key                                        | type   | holds                                                        |
 * |--------------------------------------------|--------|--------------------------------------------------------------|
 * | fs:v2:{t}:<b>:pw                           | hash   | partition → stream sequence of the last event applied        |
 * | fs:v2:{t}:<b>:cu                           | hash   | partition → its rebuild catch-up's summary, once caught up   |
 * | fs:v2:{t}:<b>:e:<kind>:<entity id>         | hash   | feature name → packed state (rings, totals, lists, maps)     |
 * | fs:v2:{t}:<b>:h:<feature>:<kind>:<id>:<n>  | HLL    | distinct elements of one time bucket of a window             |
 * | fs:v2:{t}:<b>:is:<feature>:<kind>:<id>     | zset   | item sets: item → time (ms) of the entity's latest event     |
 * | fs:v2:{t}:<b>:z:<feature>:<kind>:<id>      | zset   | top items, scores forward-decayed from a landmark            |
 * | fs:v2:{t}:<b>:zl                           | hash   | landmark (unix s) per top-items zset                         |
 * | fs:v2:{t}:<b>:co:<feature>:<item id>       | zset   | items used by the same users → number of such users (capped) |
 * | fs:v2:{t}:<b>:ucx:<user>                   | set    | categories the user has user×category features in           |
 *
 * Outside the builds, the identity graph (identity.ts) and the similarity table (similar-items.ts).
 *
 * Entity kinds in keys: u (user), i (item), uc (user×category, id "<user>|<category>"), c (category),
 * t (tenant, id "*").
 */
export const KEY_VERSION = 'v2';

export const KIND_CODES: Record<EntityKind, string> = {
  user: 'u',
  item: 'i',
  user_category: 'uc',
  category: 'c',
  tenant: 't',
};

export function buildPrefix(tenantId: string, build: string): string {
  return `fs:${KEY_VERSION}:{${tenantId}}:${build}:`;
}

export const featureKeys = {
  watermarks: (prefix: string) => `${prefix}pw`,
  caughtUp: (prefix: string) => `${prefix}cu`,
  entity: (prefix: string, kind: EntityKind, id: string) => `${prefix}e:${KIND_CODES[kind]}:${id}`,
  hll: (prefix: string, feature: string, kind: EntityKind, id: string, bucket: number) =>
    `${prefix}h:${feature}:${KIND_CODES[kind]}:${id}:${bucket}`,
  itemSet: (prefix: string, feature: string, kind: EntityKind, id: string) =>
    `${prefix}is:${feature}:${KIND_CODES[kind]}:${id}`,
  topItems: (prefix: string, feature: string, kind: EntityKind, id: string) =>
    `${prefix}z:${feature}:${KIND_CODES[kind]}:${id}`,
  landmarks: (prefix: string) => `${prefix}zl`,
  cooccurrencePrefix: (prefix: string, feature: string) => `${prefix}co:${feature}:`,
  userCategories: (prefix: string, user: string) => `${prefix}ucx:${user}`,
};

/** The tenant's keys outside any build: `fs:v2:{t}:`. */
export function tenantPrefix(tenantId: string): string {
  return `fs:${KEY_VERSION}:{${tenantId}}:`;
}

/** Distinct counts keep 6 HyperLogLogs per window: windows slide in sixths (an HLL cannot forget). */
export const HLL_BUCKETS = 6;

export function hllBucketSeconds(window: WindowName): number {
  if (window === 'all') return Number.POSITIVE_INFINITY;
  const { bucketSeconds, buckets } = WINDOWS[window];
  return (bucketSeconds * buckets) / HLL_BUCKETS;
}
