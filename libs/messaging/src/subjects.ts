import { createHash } from 'node:crypto';

/** Tenant ids: lowercase letters, digits and dashes, 1 to 32 characters, starting with a letter or digit. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Event types: lowercase snake_case, 1 to 64 characters. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * A short stable token for a subject (user) id. Ids can hold any character, subjects cannot; putting a
 * per-user token in the subject lets one user's events be found and purged by subject filter (erasure).
 */
export function subjectToken(userId: string): string {
  return createHash('sha256').update(userId).digest('hex').slice(0, 16);
}

/** `events.v1.<tenant>.<type>.<user token>`: filterable by tenant, by type, and by user. */
export function eventSubject(tenantId: string, type: string, userId: string): string {
  return `events.v1.${tenantId}.${type}.${subjectToken(userId)}`;
}

/** Deduplication id of an event in the EVENTS stream: unique per tenant. */
export function eventMsgId(tenantId: string, eventId: string): string {
  return `${tenantId}:${eventId}`;
}
