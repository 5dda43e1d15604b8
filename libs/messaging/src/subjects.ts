import { createHash } from 'node:crypto';

import type { Identities } from '@dmp/grpc';

/** Tenant ids: lowercase letters, digits and dashes, 1 to 32 characters, starting with a letter or digit. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Event types: lowercase snake_case, 1 to 64 characters. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Every identifier the identities name, as identity keys, most stable first: the tenant's user id as it is,
 * then the phone hash, email hash, device id and anonymous id, each with a prefix saying which. The order is
 * the identity graph's rank (libs/features identity.ts): a profile is named by its best identifier.
 */
export function identifiersOf(identities: Partial<Identities> | null | undefined): string[] {
  if (!identities) return [];
  const out: string[] = [];
  if (identities.userId) out.push(identities.userId);
  if (identities.msisdnHash) out.push(`msisdn:${identities.msisdnHash}`);
  if (identities.emailHash) out.push(`email:${identities.emailHash}`);
  if (identities.deviceId) out.push(`device:${identities.deviceId}`);
  if (identities.anonymousId) out.push(`anon:${identities.anonymousId}`);
  return out;
}

/**
 * The event's best identifier (see identifiersOf), which intake files it under and features start from;
 * the feature store then resolves it to the profile it belongs to. Empty when there is none.
 */
export function subjectKey(identities: Partial<Identities> | null | undefined): string {
  return identifiersOf(identities)[0] ?? '';
}

/**
 * The last token of the subject of every per-subscriber message (events, logged vectors, decisions,
 * deliveries, segment changes): 16 hex digits of sha256(tenant, subject), so that one subscriber's messages
 * can be found and purged by a subject filter when they are erased (profile-erasure.ts in the feature store).
 * It needs no key: it hides nothing the message does not carry itself, and every service can compute it.
 */
export function subjectToken(tenantId: string, subject: string): string {
  return createHash('sha256').update(`${tenantId}\u0000${subject}`).digest('hex').slice(0, 16);
}

/** `events.v1.<tenant>.<type>.<subject token>`: filterable by tenant, by type and by subject. */
export function eventSubject(tenantId: string, type: string, subjectToken: string): string {
  return `events.v1.${tenantId}.${type}.${subjectToken}`;
}

/** `decisionlog.v1.<tenant>.<subject token>`: a campaign decision about the subject. */
export function decisionLogSubject(tenantId: string, subject: string): string {
  return `decisionlog.v1.${tenantId}.${subjectToken(tenantId, subject)}`;
}

/** `segments.v1.<tenant>.<segment>.<subject token>`: the subject joined or left the segment. */
export function segmentChangeSubject(
  tenantId: string,
  segment: string,
  subject: string,
  token = subjectToken(tenantId, subject)
): string {
  return `segments.v1.${tenantId}.${segment}.${token}`;
}

/** Deduplication id of an event in the EVENTS stream: unique per tenant. */
export function eventMsgId(tenantId: string, eventId: string): string {
  return `${tenantId}:${eventId}`;
}

/** `failed.v1.<tenant>.<door>`: where intake files the events it rejected. */
export function failedEventSubject(tenantId: string, door: string): string {
  return `failed.v1.${tenantId}.${door}`;
}
