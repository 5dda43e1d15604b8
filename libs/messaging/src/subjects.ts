import type { Identities } from '@dmp/grpc';

/** Tenant ids: lowercase letters, digits and dashes, 1 to 32 characters, starting with a letter or digit. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Event types: lowercase snake_case, 1 to 64 characters. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The one id features and decisions are keyed by, from the identities an event carries, most specific
 * first: the tenant's user id as it is, else the anonymous id, device id, phone hash or email hash with a
 * prefix saying which. Identity resolution (merging these) builds on this later. Empty when there is none.
 */
export function subjectKey(identities: Partial<Identities> | null | undefined): string {
  if (!identities) return '';
  if (identities.userId) return identities.userId;
  if (identities.anonymousId) return `anon:${identities.anonymousId}`;
  if (identities.deviceId) return `device:${identities.deviceId}`;
  if (identities.msisdnHash) return `msisdn:${identities.msisdnHash}`;
  if (identities.emailHash) return `email:${identities.emailHash}`;
  return '';
}

/**
 * `events.v1.<tenant>.<type>.<subject token>`: filterable by tenant and by type, and, through the token
 * (a keyed hash of the subject key, see intake), by subject, so that one subscriber's events can be found
 * and purged.
 */
export function eventSubject(tenantId: string, type: string, subjectToken: string): string {
  return `events.v1.${tenantId}.${type}.${subjectToken}`;
}

/** Deduplication id of an event in the EVENTS stream: unique per tenant. */
export function eventMsgId(tenantId: string, eventId: string): string {
  return `${tenantId}:${eventId}`;
}

/** `failed.v1.<tenant>.<door>`: where intake files the events it rejected. */
export function failedEventSubject(tenantId: string, door: string): string {
  return `failed.v1.${tenantId}.${door}`;
}
