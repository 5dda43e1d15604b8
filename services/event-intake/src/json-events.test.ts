import { describe, expect, it } from 'vitest';

import type { Event__Output } from '@dmp/grpc';
import { InvalidArgumentError } from '@dmp/runtime';

import type { IncomingEvent } from './intake';
import { readJsonRequest } from './json-events';

const read = (events: unknown[]): IncomingEvent[] => readJsonRequest({ tenant_id: 'shop', events }).items;

const decoded = (raw: unknown): Event__Output => {
  const [item] = read([raw]);
  if (!item?.event) throw new Error(`expected the event to decode, got ${JSON.stringify(item?.problem)}`);
  return item.event;
};

/** The problem of a single event that does not decode, as [field, rule]. */
const problem = (raw: unknown, index = 0): [string, string] => {
  const items = read([...Array.from({ length: index }, () => ({})), raw]);
  const item = items[index]!;
  if (!item.problem) throw new Error(`expected a problem, got ${JSON.stringify(item.event)}`);
  expect(item.event).toBeUndefined();
  expect(item.raw).toBe(raw);
  return [item.problem.field, item.problem.rule];
};

const requestError = (body: unknown): { field: string; problem: string } => {
  try {
    readJsonRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const { field, problem: message } = error as InvalidArgumentError;
    return { field, problem: message };
  }
  throw new Error('expected readJsonRequest to throw');
};

const full: Event__Output = {
  eventId: 'e-1',
  tenantId: '',
  type: 'purchase',
  occurredAt: { seconds: '1764072000', nanos: 0 },
  receivedAt: null,
  identities: {
    userId: 'u1',
    anonymousId: 'a1',
    deviceId: 'd1',
    msisdn: '+79123456789',
    email: 'a@example.com',
    msisdnHash: '',
    emailHash: '',
    hashKeyId: '',
  },
  itemIds: ['sku-1', 'sku-2'],
  context: {
    channel: 'web',
    placement: 'cart',
    pageCategory: 'shoes',
    geo: { country: 'RU', region: 'Moscow', city: 'Moscow' },
    device: { type: 'mobile', os: 'android 15', model: 'Pixel 9' },
    app: { name: 'shop', version: '1.2.3' },
  },
  properties: {
    order_id: { kind: 'stringValue', stringValue: 'o-1' },
    revenue: { kind: 'numberValue', numberValue: 99.5 },
    gift: { kind: 'boolValue', boolValue: false },
  },
};

describe('readJsonRequest: event shapes', () => {
  it('reads snake_case field names, as in the proto', () => {
    expect(
      decoded({
        event_id: 'e-1',
        type: 'purchase',
        occurred_at: '2025-11-25T12:00:00Z',
        identities: {
          user_id: 'u1',
          anonymous_id: 'a1',
          device_id: 'd1',
          msisdn: '+79123456789',
          email: 'a@example.com',
        },
        item_ids: ['sku-1', 'sku-2'],
        context: {
          channel: 'web',
          placement: 'cart',
          page_category: 'shoes',
          geo: { country: 'RU', region: 'Moscow', city: 'Moscow' },
          device: { type: 'mobile', os: 'android 15', model: 'Pixel 9' },
          app: { name: 'shop', version: '1.2.3' },
        },
        properties: { order_id: 'o-1', revenue: 99.5, gift: false },
      })
    ).toEqual(full);
  });

  it('reads lowerCamelCase field names, as in protobuf’s JSON mapping', () => {
    expect(
      decoded({
        eventId: 'e-1',
        type: 'purchase',
        occurredAt: '2025-11-25T12:00:00Z',
        identities: { userId: 'u1', anonymousId: 'a1', deviceId: 'd1', msisdn: '+79123456789', email: 'a@example.com' },
        itemIds: ['sku-1', 'sku-2'],
        context: {
          channel: 'web',
          placement: 'cart',
          pageCategory: 'shoes',
          geo: { country: 'RU', region: 'Moscow', city: 'Moscow' },
          device: { type: 'mobile', os: 'android 15', model: 'Pixel 9' },
          app: { name: 'shop', version: '1.2.3' },
        },
        properties: { order_id: 'o-1', revenue: 99.5, gift: false },
      })
    ).toEqual(full);
  });

  it('prefers the snake_case name when both are present', () => {
    expect(decoded({ event_id: 'snake', eventId: 'camel' }).eventId).toBe('snake');
  });

  it('fills what is absent with the proto defaults, and ignores tenant_id, received_at and unknown fields', () => {
    expect(decoded({ tenant_id: 'spoofed', received_at: '2025-11-25T12:00:00Z', extra: { deep: [1, 2] } })).toEqual({
      eventId: '',
      tenantId: '',
      type: '',
      occurredAt: null,
      receivedAt: null,
      identities: null,
      itemIds: [],
      context: null,
      properties: {},
    });
    expect(decoded({ identities: {}, context: {}, item_ids: null, properties: null })).toMatchObject({
      identities: {
        userId: '',
        anonymousId: '',
        deviceId: '',
        msisdn: '',
        email: '',
        msisdnHash: '',
        emailHash: '',
        hashKeyId: '',
      },
      context: { channel: '', placement: '', pageCategory: '', geo: null, device: null, app: null },
      itemIds: [],
      properties: {},
    });
  });

  it('never takes hashes from the client', () => {
    const identities = decoded({
      identities: { user_id: 'u', msisdn_hash: 'forged', emailHash: 'forged', hash_key_id: 'k' },
    }).identities;
    expect(identities).toMatchObject({ msisdnHash: '', emailHash: '', hashKeyId: '' });
  });

  it('reads properties given as plain JSON values', () => {
    expect(decoded({ properties: { s: '', n: 0, neg: -1.5, big: 1e300, t: true, f: false } }).properties).toEqual({
      s: { kind: 'stringValue', stringValue: '' },
      n: { kind: 'numberValue', numberValue: 0 },
      neg: { kind: 'numberValue', numberValue: -1.5 },
      big: { kind: 'numberValue', numberValue: 1e300 },
      t: { kind: 'boolValue', boolValue: true },
      f: { kind: 'boolValue', boolValue: false },
    });
  });

  it('passes odd property names through for validation to judge', () => {
    expect(Object.keys(decoded({ properties: { PageURL: 'x', '': 1 } }).properties).sort()).toEqual(['', 'PageURL']);
  });
});

describe('readJsonRequest: times', () => {
  const at = (occurredAt: unknown): Event__Output['occurredAt'] => decoded({ occurred_at: occurredAt }).occurredAt;

  it('reads RFC 3339 times with Z or an offset, and fractions of a second', () => {
    expect(at('2025-11-25T12:00:00Z')).toEqual({ seconds: '1764072000', nanos: 0 });
    expect(at('2025-11-25T15:00:00+03:00')).toEqual({ seconds: '1764072000', nanos: 0 });
    expect(at('2025-11-25T07:00:00-05:00')).toEqual({ seconds: '1764072000', nanos: 0 });
    expect(at('2025-11-25T12:00:00.250Z')).toEqual({ seconds: '1764072000', nanos: 250_000_000 });
    expect(at('2025-11-25T12:00:00.5Z')).toEqual({ seconds: '1764072000', nanos: 500_000_000 });
  });

  it('reads {seconds, nanos} with seconds as a string or a number, nanos defaulting to 0', () => {
    expect(at({ seconds: '1764072000', nanos: 5 })).toEqual({ seconds: '1764072000', nanos: 5 });
    expect(at({ seconds: 1764072000 })).toEqual({ seconds: '1764072000', nanos: 0 });
    expect(at({ seconds: '-1', nanos: null })).toEqual({ seconds: '-1', nanos: 0 });
  });

  it('treats null as absent', () => {
    expect(at(null)).toBeNull();
  });

  it.each([
    ['a date only', '2025-11-25'],
    ['no zone', '2025-11-25T12:00:00'],
    ['a space for T', '2025-11-25 12:00:00Z'],
    ['a month 13', '2025-13-25T12:00:00Z'],
    ['words', 'yesterday'],
    ['an empty string', ''],
    ['a leading space', ' 2025-11-25T12:00:00Z'],
    ['a zone without a colon', '2025-11-25T12:00:00+0300'],
    ['seconds in words', { seconds: 'soon' }],
    ['fractional seconds', { seconds: 1.5 }],
    ['seconds in exponent form', { seconds: 1e21 }],
    ['missing seconds', { nanos: 5 }],
    ['nanos as a string', { seconds: '1', nanos: '5' }],
  ])('rejects %s with rule "format"', (_name, occurredAt) => {
    expect(problem({ event_id: 'e', occurred_at: occurredAt }, 2)).toEqual(['events[2].occurred_at', 'format']);
  });

  it.each([
    ['a number', 1764072000],
    ['an array', ['2025-11-25T12:00:00Z']],
    ['a boolean', true],
  ])('rejects %s with rule "type"', (_name, occurredAt) => {
    expect(problem({ occurred_at: occurredAt })).toEqual(['events[0].occurred_at', 'type']);
  });
});

describe('readJsonRequest: events of the wrong shape', () => {
  it.each<[string, unknown, string, string]>([
    ['a string for an event', 'view', 'events[0]', 'type'],
    ['an array for an event', [{ event_id: 'e' }], 'events[0]', 'type'],
    ['null for an event', null, 'events[0]', 'type'],
    ['a number event_id', { event_id: 42 }, 'events[0].event_id', 'type'],
    ['an object type', { type: { name: 'view' } }, 'events[0].type', 'type'],
    ['identities as a string', { identities: 'u1' }, 'events[0].identities', 'type'],
    ['identities as an array', { identities: ['u1'] }, 'events[0].identities', 'type'],
    ['a number user_id', { identities: { user_id: 7 } }, 'events[0].identities.user_id', 'type'],
    [
      'a camelCase anonymousId of the wrong type',
      { identities: { anonymousId: true } },
      'events[0].identities.anonymous_id',
      'type',
    ],
    ['a number device_id', { identities: { device_id: 1 } }, 'events[0].identities.device_id', 'type'],
    ['a number msisdn', { identities: { msisdn: 79123456789 } }, 'events[0].identities.msisdn', 'type'],
    ['an array email', { identities: { email: ['a@example.com'] } }, 'events[0].identities.email', 'type'],
    ['item_ids as a string', { item_ids: 'sku-1' }, 'events[0].item_ids', 'type'],
    ['item_ids with a number', { item_ids: ['sku-1', 2] }, 'events[0].item_ids', 'type'],
    ['context as a string', { context: 'web' }, 'events[0].context', 'type'],
    ['a number channel', { context: { channel: 1 } }, 'events[0].context.channel', 'type'],
    ['a number page_category', { context: { pageCategory: 1 } }, 'events[0].context.page_category', 'type'],
    ['geo as an array', { context: { geo: [] } }, 'events[0].context.geo', 'type'],
    ['a number country', { context: { geo: { country: 7 } } }, 'events[0].context.geo.country', 'type'],
    ['a number city', { context: { geo: { city: 7 } } }, 'events[0].context.geo.city', 'type'],
    ['device as a string', { context: { device: 'mobile' } }, 'events[0].context.device', 'type'],
    ['a boolean os', { context: { device: { os: false } } }, 'events[0].context.device.os', 'type'],
    ['app as a number', { context: { app: 1 } }, 'events[0].context.app', 'type'],
    ['an object app version', { context: { app: { version: {} } } }, 'events[0].context.app.version', 'type'],
    ['properties as an array', { properties: [1, 2] }, 'events[0].properties', 'type'],
    ['properties as a string', { properties: 'price=1' }, 'events[0].properties', 'type'],
    ['an object property value', { properties: { price: { amount: 1 } } }, 'events[0].properties.price', 'type'],
    ['an array property value', { properties: { tags: ['a'] } }, 'events[0].properties.tags', 'type'],
    ['a null property value', { properties: { price: null } }, 'events[0].properties.price', 'type'],
    ['a bad value under a bad name', { properties: { 'Bad Name': [] } }, 'events[0].properties', 'type'],
  ])('%s is rejected with its field path', (_name, raw, field, rule) => {
    expect(problem(raw)).toEqual([field, rule]);
  });

  it('names the event’s index in the batch', () => {
    expect(problem({ identities: { user_id: 1 } }, 4)).toEqual(['events[4].identities.user_id', 'type']);
  });

  it('never repeats the value in the reason', () => {
    const [item] = read([{ identities: { msisdn: 79123456789 } }]);
    expect(item?.problem?.reason).not.toContain('79123456789');
    const [name] = read([{ properties: { secret_value_name: { x: 'leak-me' } } }]);
    expect(name?.problem?.reason).not.toContain('leak-me');
  });

  it('judges each event on its own and keeps what was sent', () => {
    const good = { event_id: 'e-1', type: 'view' };
    const bad = { event_id: 2 };
    const items = read([good, bad, 'junk', good]);
    expect(items.map((item) => (item.event ? 'event' : item.problem?.field))).toEqual([
      'event',
      'events[1].event_id',
      'events[2]',
      'event',
    ]);
    expect(items.map((item) => item.raw)).toEqual([good, bad, 'junk', good]);
    expect(items[0]!.raw).toBe(good);
  });
});

describe('readJsonRequest: request errors', () => {
  it('reads the tenant in either spelling, and an absent tenant as empty', () => {
    expect(readJsonRequest({ tenant_id: 'shop', events: [] })).toEqual({ tenantId: 'shop', items: [] });
    expect(readJsonRequest({ tenantId: 'shop', events: [] }).tenantId).toBe('shop');
    expect(readJsonRequest({ events: [] }).tenantId).toBe('');
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'body'],
    ['an array', [{ tenant_id: 'shop', events: [] }], 'body'],
    ['a string', '{"tenant_id":"shop"}', 'body'],
    ['a number', 42, 'body'],
    ['a number tenant_id', { tenant_id: 42, events: [] }, 'tenant_id'],
    ['an object tenantId', { tenantId: { id: 'shop' }, events: [] }, 'tenant_id'],
    ['no events', { tenant_id: 'shop' }, 'events'],
    ['events as an object', { tenant_id: 'shop', events: { 0: {} } }, 'events'],
    ['events as a string', { tenant_id: 'shop', events: '[]' }, 'events'],
    ['null events', { tenant_id: 'shop', events: null }, 'events'],
  ])('a body with %s is an InvalidArgumentError naming the field', (_name, body, field) => {
    const error = requestError(body);
    expect(error.field).toBe(field);
    expect(error.problem).not.toBe('');
  });

  it('does not repeat the tenant in the error', () => {
    expect(requestError({ tenant_id: 987654321, events: [] }).problem).not.toContain('987654321');
  });
});

describe('readJsonRequest: edge cases found by fuzzing', () => {
  it('keeps the id of an event it cannot read, for its result and its failed-events record', () => {
    const [item] = read([{ event_id: 'e-7', type: 'view', item_ids: 'not-a-list' }]);
    expect(item).toMatchObject({ eventId: 'e-7', problem: { field: 'events[0].item_ids', rule: 'type' } });
  });

  it('refuses nanos outside 0..999999999 or not whole', () => {
    for (const nanos of [-1, 5e9, 0.5]) {
      expect(problem({ event_id: 'e', occurred_at: { seconds: 1_764_072_000, nanos } })).toEqual([
        'events[0].occurred_at',
        'format',
      ]);
    }
  });

  it('keeps a property named "__proto__" as a property, for validation to refuse', () => {
    const event = decoded(JSON.parse('{"event_id":"e","properties":{"__proto__":"x"}}'));
    expect(Object.keys(event.properties)).toEqual(['__proto__']);
  });

  it('reads a null tenant_id as absent', () => {
    expect(readJsonRequest({ tenant_id: null, events: [] }).tenantId).toBe('');
  });
});
