import type { Event__Output, PropertyValue__Output } from '@dmp/grpc';
import { InvalidArgumentError } from '@dmp/runtime';

import type { IncomingEvent } from './intake';
import type { Problem } from './validation';

/**
 * Reads the HTTP door's JSON body — `{"tenant_id": "...", "events": [...]}`, field names in snake_case or
 * lowerCamelCase as in protobuf's JSON mapping — into the same decoded events the gRPC door gets, so both
 * doors share one validation. Properties may be plain JSON values (`"price": 9.5`), which is what web SDKs
 * send. An event of the wrong shape is not an error of the request: it is rejected on its own, with a field.
 */
export function readJsonRequest(body: unknown): { tenantId: string; items: IncomingEvent[] } {
  if (!isObject(body)) throw new InvalidArgumentError('body', 'must be a JSON object');
  const tenantId = pick(body, 'tenant_id') ?? '';
  if (typeof tenantId !== 'string') throw new InvalidArgumentError('tenant_id', 'must be a string');
  const events = pick(body, 'events');
  if (!Array.isArray(events)) throw new InvalidArgumentError('events', 'must be an array of events');
  return { tenantId, items: events.map((raw, index) => readEvent(raw, index)) };
}

class ShapeError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.reason);
  }
}

function readEvent(raw: unknown, index: number): IncomingEvent {
  try {
    return { event: toEvent(raw, `events[${index}]`), raw };
  } catch (error) {
    if (error instanceof ShapeError) {
      const id = isObject(raw) ? pick(raw, 'event_id') : undefined;
      return { problem: error.problem, raw, ...(typeof id === 'string' && { eventId: id }) };
    }
    throw error;
  }
}

function toEvent(raw: unknown, at: string): Event__Output {
  const event = object(raw, at);
  const identities = optionalObject(pick(event, 'identities'), `${at}.identities`);
  const context = optionalObject(pick(event, 'context'), `${at}.context`);
  return {
    eventId: string(pick(event, 'event_id'), `${at}.event_id`),
    tenantId: '',
    type: string(pick(event, 'type'), `${at}.type`),
    occurredAt: timestamp(pick(event, 'occurred_at'), `${at}.occurred_at`),
    receivedAt: null,
    identities: identities && {
      userId: string(pick(identities, 'user_id'), `${at}.identities.user_id`),
      anonymousId: string(pick(identities, 'anonymous_id'), `${at}.identities.anonymous_id`),
      deviceId: string(pick(identities, 'device_id'), `${at}.identities.device_id`),
      msisdn: string(pick(identities, 'msisdn'), `${at}.identities.msisdn`),
      email: string(pick(identities, 'email'), `${at}.identities.email`),
      msisdnHash: '',
      emailHash: '',
      hashKeyId: '',
    },
    itemIds: strings(pick(event, 'item_ids'), `${at}.item_ids`),
    context: context && toContext(context, `${at}.context`),
    properties: properties(pick(event, 'properties'), `${at}.properties`),
  };
}

function toContext(context: Record<string, unknown>, at: string): NonNullable<Event__Output['context']> {
  const geo = optionalObject(pick(context, 'geo'), `${at}.geo`);
  const device = optionalObject(pick(context, 'device'), `${at}.device`);
  const app = optionalObject(pick(context, 'app'), `${at}.app`);
  const field = (from: Record<string, unknown>, name: string, path: string): string =>
    string(pick(from, name), `${path}.${name}`);
  return {
    channel: field(context, 'channel', at),
    placement: field(context, 'placement', at),
    pageCategory: field(context, 'page_category', at),
    geo: geo && {
      country: field(geo, 'country', `${at}.geo`),
      region: field(geo, 'region', `${at}.geo`),
      city: field(geo, 'city', `${at}.geo`),
    },
    device: device && {
      type: field(device, 'type', `${at}.device`),
      os: field(device, 'os', `${at}.device`),
      model: field(device, 'model', `${at}.device`),
    },
    app: app && { name: field(app, 'name', `${at}.app`), version: field(app, 'version', `${at}.app`) },
  };
}

function properties(raw: unknown, at: string): Record<string, PropertyValue__Output> {
  // No prototype: a property named "__proto__" must stay a property (and fail its name check), not vanish.
  const out = Object.create(null) as Record<string, PropertyValue__Output>;
  if (raw === undefined || raw === null) return out;
  for (const [name, value] of Object.entries(object(raw, at))) {
    const path = /^[a-z][a-z0-9_]{0,63}$/.test(name) ? `${at}.${name}` : at;
    if (typeof value === 'string') out[name] = { kind: 'stringValue', stringValue: value };
    else if (typeof value === 'number') out[name] = { kind: 'numberValue', numberValue: value };
    else if (typeof value === 'boolean') out[name] = { kind: 'boolValue', boolValue: value };
    else throw new ShapeError({ field: path, rule: 'type', reason: 'must be a string, a number or a boolean' });
  }
  return out;
}

/** RFC 3339 text ("2026-11-25T12:00:00Z") or {seconds, nanos}, as protobuf's JSON mapping allows. */
function timestamp(raw: unknown, at: string): Event__Output['occurredAt'] {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') {
    const ms = Date.parse(raw);
    // Date.parse accepts many loose formats; require the shape of RFC 3339 with a zone.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(ms)) {
      throw new ShapeError({
        field: at,
        rule: 'format',
        reason: 'must be an RFC 3339 time such as 2026-11-25T12:00:00Z',
      });
    }
    return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
  }
  const value = object(raw, at);
  const seconds = pick(value, 'seconds');
  const nanos = pick(value, 'nanos') ?? 0;
  if (
    (typeof seconds !== 'string' && typeof seconds !== 'number') ||
    !/^-?\d+$/.test(String(seconds)) ||
    !Number.isInteger(nanos) ||
    (nanos as number) < 0 ||
    (nanos as number) > 999_999_999
  ) {
    throw new ShapeError({ field: at, rule: 'format', reason: 'must be an RFC 3339 time or {seconds, nanos}' });
  }
  return { seconds: String(seconds), nanos: nanos as number };
}

function pick(from: Record<string, unknown>, snake: string): unknown {
  return snake in from ? from[snake] : from[snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(raw: unknown, at: string): Record<string, unknown> {
  if (!isObject(raw)) throw new ShapeError({ field: at, rule: 'type', reason: 'must be a JSON object' });
  return raw;
}

function optionalObject(raw: unknown, at: string): Record<string, unknown> | null {
  return raw === undefined || raw === null ? null : object(raw, at);
}

function string(raw: unknown, at: string): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw new ShapeError({ field: at, rule: 'type', reason: 'must be a string' });
  return raw;
}

function strings(raw: unknown, at: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string')) {
    throw new ShapeError({ field: at, rule: 'type', reason: 'must be an array of strings' });
  }
  return raw as string[];
}
