import type { Event, Event__Output } from '@dmp/grpc';
import { EVENT_TYPE_PATTERN } from '@dmp/messaging';

/** Most events one Ingest call may carry. */
export const MAX_BATCH = 1000;
/** Largest event, encoded; the EVENTS stream refuses messages over 1 MiB, and events are small. */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Most items one event may name. */
export const MAX_ITEMS_PER_EVENT = 100;
const MAX_PROPERTIES = 50;

/**
 * Event types this version accepts. Per-tenant registered types with property schemas replace this list
 * when type registration lands; until then an unknown type is rejected, never silently stored.
 */
export const BUILT_IN_EVENT_TYPES = new Set([
  // commerce
  'view',
  'add_to_cart',
  'purchase',
  'search',
  // streaming
  'play_start',
  'play_progress',
  'play_complete',
  // ads
  'impression',
  'click',
  'conversion',
  'delivery_status',
  // telecom
  'roaming_start',
  'balance_low',
  'tariff_change',
  'data_usage',
]);

// Ids are 1 to 256 visible ASCII characters: no spaces or control characters, which break logs and keys.
const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
const EVENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

// Occurred-at must fall between 2000-01-01 and one day ahead of our clock (a device clock may run fast).
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const MAX_CLOCK_SKEW_MS = 24 * 3_600_000;

/** An event as intake stores it: the fields later stages rely on are present. */
export type ValidEvent = Event & { tenantId: string; eventId: string; type: string; userId: string };

export type Verdict = { ok: true; event: ValidEvent } | { ok: false; field: string; reason: string };

/**
 * Checks one event of a batch and returns either the event as it will be stored (tenant set, times
 * filled in) or the first problem found, with the field path that names it.
 */
export function validateEvent(tenantId: string, event: Event__Output, index: number, nowMs: number): Verdict {
  const at = (field: string): string => `events[${index}].${field}`;
  const reject = (field: string, reason: string): Verdict => ({ ok: false, field: at(field), reason });

  if (event.eventId === '') return reject('event_id', 'is required');
  if (!EVENT_ID_PATTERN.test(event.eventId)) return reject('event_id', 'must be 1-128 visible ASCII characters');

  if (event.type === '') return reject('type', 'is required');
  if (!EVENT_TYPE_PATTERN.test(event.type) || !BUILT_IN_EVENT_TYPES.has(event.type)) {
    return reject('type', `unknown event type "${event.type.slice(0, 64)}"`);
  }

  const userId = event.identities?.userId ?? '';
  if (userId === '') return reject('identities.user_id', 'is required');
  if (!ID_PATTERN.test(userId)) return reject('identities.user_id', 'must be 1-256 visible ASCII characters');

  if (event.itemIds.length > MAX_ITEMS_PER_EVENT) {
    return reject('item_ids', `names ${event.itemIds.length} items, at most ${MAX_ITEMS_PER_EVENT}`);
  }
  const badItem = event.itemIds.findIndex((id) => !ID_PATTERN.test(id));
  if (badItem >= 0) return reject(`item_ids[${badItem}]`, 'must be 1-256 visible ASCII characters');

  if (Object.keys(event.properties).length > MAX_PROPERTIES) {
    return reject('properties', `has more than ${MAX_PROPERTIES} entries`);
  }

  let occurredAt = event.occurredAt;
  if (occurredAt) {
    const ms = Number(occurredAt.seconds) * 1000 + occurredAt.nanos / 1e6;
    if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms > nowMs + MAX_CLOCK_SKEW_MS) {
      return reject('occurred_at', 'must be after 2000-01-01 and not more than a day in the future');
    }
  } else {
    occurredAt = toTimestamp(nowMs);
  }

  return {
    ok: true,
    event: { ...event, tenantId, occurredAt, receivedAt: toTimestamp(nowMs), userId },
  };
}

export function toTimestamp(ms: number): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}
