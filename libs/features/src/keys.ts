/**
 * Redis key layout, version 1. Every key of a tenant shares the hash tag `{<tenant>}`, so the keys one
 * event touches live in one slot and its updates run as one atomic script, also on Redis Cluster. A layout
 * change gets a new version prefix and is filled by replaying the EVENTS stream, never migrated in place.
 *
 * | key                                   | type   | holds                                                     |
 * |---------------------------------------|--------|-----------------------------------------------------------|
 * | fs:v1:{t}:applied:<event id>          | string | "1" for 24 h after an event was applied (dedupe mark)     |
 * | fs:v1:{t}:popularity                  | zset   | item id → interactions of all users with the item         |
 * | fs:v1:{t}:user:<user id>:recent       | list   | the user's most recent distinct item ids, newest first    |
 * | fs:v1:{t}:user:<user id>:meta         | hash   | last_event_ms                                             |
 * | fs:v1:{t}:item:<item id>:counts       | hash   | event type → interactions of that type; @t → last event ms|
 * | fs:v1:{t}:item:<item id>:cooc         | zset   | other item id → users who interacted with both (capped)   |
 */
export const KEY_VERSION = 'v1';

export function tenantPrefix(tenantId: string): string {
  return `fs:${KEY_VERSION}:{${tenantId}}:`;
}

export const featureKeys = {
  applied: (tenantId: string, eventId: string) => `${tenantPrefix(tenantId)}applied:${eventId}`,
  popularity: (tenantId: string) => `${tenantPrefix(tenantId)}popularity`,
  userRecent: (tenantId: string, userId: string) => `${tenantPrefix(tenantId)}user:${userId}:recent`,
  userMeta: (tenantId: string, userId: string) => `${tenantPrefix(tenantId)}user:${userId}:meta`,
  itemCounts: (tenantId: string, itemId: string) => `${tenantPrefix(tenantId)}item:${itemId}:counts`,
  itemCooccurrence: (tenantId: string, itemId: string) => `${tenantPrefix(tenantId)}item:${itemId}:cooc`,
};

/** Field of an item's counts hash holding the time of its newest event. Event types cannot start with "@". */
export const LAST_EVENT_FIELD = '@t';
