import type { CountryCode } from 'libphonenumber-js/min';

import type { Event, Event__Output, Identities, PropertyValue__Output } from '@dmp/grpc';
import { EVENT_TYPE_PATTERN, subjectKey } from '@dmp/messaging';

import type { CompiledEventType } from './event-types';
import { normalizeEmail, normalizeMsisdn, type IdentityHasher } from './identities';

/** Most events one Ingest call (or one message of IngestStream) may carry. */
export const MAX_BATCH = 1000;
/** Largest event, encoded; the EVENTS stream refuses messages over 1 MiB, and events are small. */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Most items one event may name. */
export const MAX_ITEMS_PER_EVENT = 100;
const MAX_PROPERTIES = 50;
const MAX_STRING = 4096;
const MAX_CONTEXT_STRING = 256;

// Ids are 1 to 256 visible ASCII characters: no spaces or control characters, which break logs and keys.
const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
const EVENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
// Property names: like event types, so they read the same in schemas, features and SQL exports.
const PROPERTY_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const COUNTRY_PATTERN = /^[A-Z]{2}$/;

// Occurred-at must fall between 2000-01-01 and one day ahead of our clock (a device clock may run fast).
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const MAX_CLOCK_SKEW_MS = 24 * 3_600_000;

/** Why an event was rejected: the field path, the rule that failed, and a reason that never repeats the value. */
export interface Problem {
  field: string;
  rule: string;
  reason: string;
}

/** An event as intake stores it: identities protected, tenant and times set (seconds as numbers), subject known. */
export type ValidEvent = Event & { tenantId: string; eventId: string; type: string; subjectKey: string };

export type Verdict = { ok: true; event: ValidEvent } | ({ ok: false } & Problem);

export interface ValidationContext {
  tenantId: string;
  nowMs: number;
  eventType: (name: string) => CompiledEventType | undefined;
  hasher: IdentityHasher;
  /** Region for phone numbers written without a country code; without one they must start with +. */
  defaultRegion?: CountryCode;
}

/**
 * Checks one event of a batch and returns either the event as it will be stored or the first problem,
 * with the field path that names it (e.g. "events[3].identities.msisdn") and the rule.
 */
export function validateEvent(event: Event__Output, index: number, context: ValidationContext): Verdict {
  const at = (field: string): string => `events[${index}].${field}`;
  const reject = (field: string, rule: string, reason: string): Verdict => ({
    ok: false,
    field: at(field),
    rule,
    reason,
  });

  if (event.eventId === '') return reject('event_id', 'required', 'is required');
  if (!EVENT_ID_PATTERN.test(event.eventId))
    return reject('event_id', 'pattern', 'must be 1-128 visible ASCII characters');

  if (event.type === '') return reject('type', 'required', 'is required');
  const type = EVENT_TYPE_PATTERN.test(event.type) ? context.eventType(event.type) : undefined;
  if (!type) return reject('type', 'unknown_type', 'is not a type this tenant has registered (see ListEventTypes)');

  const aboutItem = type.definition.about === 'item';
  const identities = protectIdentities(event.identities, context, !aboutItem);
  if ('field' in identities) return reject(identities.field, identities.rule, identities.reason);
  if (aboutItem) {
    if (event.itemIds.length !== 1)
      return reject('item_ids', 'one_item', `"${event.type}" events name exactly one item`);
    if (subjectKey(identities.value)) {
      return reject('identities', 'none', `"${event.type}" events are about an item and carry no identities`);
    }
  }

  if (event.itemIds.length > MAX_ITEMS_PER_EVENT) {
    return reject('item_ids', 'max_items', `names ${event.itemIds.length} items; at most ${MAX_ITEMS_PER_EVENT}`);
  }
  const badItem = event.itemIds.findIndex((id) => !ID_PATTERN.test(id));
  if (badItem >= 0) return reject(`item_ids[${badItem}]`, 'pattern', 'must be 1-256 visible ASCII characters');
  if (type.definition.requiresItems && event.itemIds.length === 0) {
    return reject('item_ids', 'required', `"${event.type}" events must name at least one item`);
  }

  const properties = readProperties(event.properties);
  if ('field' in properties) return reject(properties.field, properties.rule, properties.reason);
  const schemaProblem = type.check(properties.values);
  if (schemaProblem) {
    const field = schemaProblem.path ? `properties.${schemaProblem.path}` : 'properties';
    return reject(field, `schema.${schemaProblem.keyword}`, schemaProblem.message);
  }

  const contextProblem = checkContext(event.context);
  if (contextProblem) return reject(contextProblem.field, contextProblem.rule, contextProblem.reason);

  let occurredAt = toTimestamp(context.nowMs);
  if (event.occurredAt) {
    const { seconds, nanos } = event.occurredAt;
    if (nanos < 0 || nanos > 999_999_999)
      return reject('occurred_at.nanos', 'range', 'must be between 0 and 999999999');
    const ms = Number(seconds) * 1000 + nanos / 1e6;
    if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms > context.nowMs + MAX_CLOCK_SKEW_MS) {
      return reject('occurred_at', 'range', 'must be after 2000-01-01 and not more than a day in the future');
    }
    // Seconds as a number: protobufjs would encode a string int64 through a Long parse, per event.
    occurredAt = { seconds: Number(seconds), nanos };
  }

  return {
    ok: true,
    event: {
      ...event,
      tenantId: context.tenantId,
      identities: identities.value,
      occurredAt,
      receivedAt: toTimestamp(context.nowMs),
      subjectKey: aboutItem ? `item:${event.itemIds[0]}` : subjectKey(identities.value),
    },
  };
}

/** Checks the ids and replaces a raw phone number and email address by their keyed hashes. */
function protectIdentities(
  identities: Event__Output['identities'],
  context: ValidationContext,
  required: boolean
): { value: Identities } | Problem {
  const ids = identities ?? { userId: '', anonymousId: '', deviceId: '', msisdn: '', email: '' };
  for (const [field, value] of [
    ['user_id', ids.userId],
    ['anonymous_id', ids.anonymousId],
    ['device_id', ids.deviceId],
  ] as const) {
    if (value !== '' && !ID_PATTERN.test(value)) {
      return { field: `identities.${field}`, rule: 'pattern', reason: 'must be 1-256 visible ASCII characters' };
    }
  }
  const value: Identities = { userId: ids.userId, anonymousId: ids.anonymousId, deviceId: ids.deviceId };
  if (ids.msisdn !== '') {
    const e164 = normalizeMsisdn(ids.msisdn, context.defaultRegion);
    if (!e164) return { field: 'identities.msisdn', rule: 'e164', reason: 'is not a valid phone number' };
    value.msisdnHash = context.hasher.hash(context.tenantId, 'msisdn', e164);
  }
  if (ids.email !== '') {
    const email = normalizeEmail(ids.email);
    if (!email) return { field: 'identities.email', rule: 'email', reason: 'is not a valid email address' };
    value.emailHash = context.hasher.hash(context.tenantId, 'email', email);
  }
  if (value.msisdnHash || value.emailHash) value.hashKeyId = context.hasher.keyId;
  if (required && !subjectKey(value)) {
    return {
      field: 'identities',
      rule: 'required',
      reason: 'must hold at least one of user_id, anonymous_id, device_id, msisdn, email',
    };
  }
  return { value };
}

/** Properties as the flat JSON object the type's schema describes. */
function readProperties(
  properties: Record<string, PropertyValue__Output>
): { values: Record<string, unknown> } | Problem {
  const names = Object.keys(properties);
  if (names.length > MAX_PROPERTIES)
    return { field: 'properties', rule: 'max_properties', reason: `has more than ${MAX_PROPERTIES} entries` };
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const property = properties[name]!;
    if (!PROPERTY_NAME_PATTERN.test(name)) {
      return {
        field: 'properties',
        rule: 'property_name',
        reason: 'names must be lowercase snake_case, 1-64 characters',
      };
    }
    const field = `properties.${name}`;
    switch (property.kind) {
      case 'stringValue': {
        const text = property.stringValue ?? '';
        if (text.length > MAX_STRING)
          return { field, rule: 'max_length', reason: `is longer than ${MAX_STRING} characters` };
        values[name] = text;
        break;
      }
      case 'numberValue':
        if (!Number.isFinite(property.numberValue)) return { field, rule: 'finite', reason: 'must be a finite number' };
        values[name] = property.numberValue;
        break;
      case 'boolValue':
        values[name] = property.boolValue === true;
        break;
      default:
        return { field, rule: 'required', reason: 'has no value' };
    }
  }
  return { values };
}

// Context strings and their field paths, checked without building anything per event (a hot path).
const CONTEXT_STRINGS: readonly [string, (c: NonNullable<Event__Output['context']>) => string | undefined][] = [
  ['context.channel', (c) => c.channel],
  ['context.placement', (c) => c.placement],
  ['context.page_category', (c) => c.pageCategory],
  ['context.geo.region', (c) => c.geo?.region],
  ['context.geo.city', (c) => c.geo?.city],
  ['context.device.type', (c) => c.device?.type],
  ['context.device.os', (c) => c.device?.os],
  ['context.device.model', (c) => c.device?.model],
  ['context.app.name', (c) => c.app?.name],
  ['context.app.version', (c) => c.app?.version],
];

function checkContext(context: Event__Output['context']): Problem | undefined {
  if (!context) return undefined;
  for (const [field, read] of CONTEXT_STRINGS) {
    const value = read(context);
    if (value !== undefined && value.length > MAX_CONTEXT_STRING) {
      return { field, rule: 'max_length', reason: `is longer than ${MAX_CONTEXT_STRING} characters` };
    }
  }
  const country = context.geo?.country ?? '';
  if (country !== '' && !COUNTRY_PATTERN.test(country)) {
    return { field: 'context.geo.country', rule: 'pattern', reason: 'must be an ISO 3166-1 alpha-2 code such as "RU"' };
  }
  return undefined;
}

export function toTimestamp(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}
