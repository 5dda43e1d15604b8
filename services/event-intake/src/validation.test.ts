import { describe, expect, it, vi } from 'vitest';

import type { Event__Output, Identities__Output, PropertyValue__Output } from '@dmp/grpc';

import { BUILT_INS, compileEventType, type CompiledEventType } from './event-types';
import { IdentityHasher } from './identities';
import {
  MAX_ITEMS_PER_EVENT,
  validateEvent,
  type ValidationContext,
  type ValidEvent,
  type Verdict,
} from './validation';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0, 250);
const DAY_S = 86_400;
const hasher = new IdentityHasher({ id: 'test-key', secret: Buffer.alloc(32, 7) });

/** A tenant's own type: no items needed, a strict schema. */
const loyalty = compileEventType(
  {
    name: 'loyalty_redeemed',
    description: 'Points were redeemed.',
    requiresItems: false,
    propertiesSchema: {
      type: 'object',
      properties: { points: { type: 'integer', minimum: 1 }, tier: { enum: ['silver', 'gold'] } },
      required: ['points'],
      additionalProperties: false,
    },
  },
  false
);
const types = new Map<string, CompiledEventType>([...BUILT_INS, [loyalty.definition.name, loyalty]]);

const context = (overrides: Partial<ValidationContext> = {}): ValidationContext => ({
  tenantId: 'shop',
  nowMs: NOW,
  eventType: (name) => types.get(name),
  hasher,
  defaultRegion: 'RU',
  ...overrides,
});

const ids = (overrides: Partial<Identities__Output> = {}): Identities__Output => ({
  userId: '',
  anonymousId: '',
  deviceId: '',
  msisdn: '',
  email: '',
  msisdnHash: '',
  emailHash: '',
  hashKeyId: '',
  ...overrides,
});

const str = (stringValue: string): PropertyValue__Output => ({ kind: 'stringValue', stringValue });
const num = (numberValue: number): PropertyValue__Output => ({ kind: 'numberValue', numberValue });
const bool = (boolValue: boolean): PropertyValue__Output => ({ kind: 'boolValue', boolValue });

const emptyContext = (): NonNullable<Event__Output['context']> => ({
  channel: '',
  placement: '',
  pageCategory: '',
  geo: { country: '', region: '', city: '' },
  device: { type: '', os: '', model: '' },
  app: { name: '', version: '' },
});

const event = (overrides: Partial<Event__Output> = {}): Event__Output => ({
  eventId: 'e-1',
  tenantId: '',
  type: 'view',
  occurredAt: null,
  receivedAt: null,
  identities: ids({ userId: 'u1' }),
  itemIds: ['sku-1'],
  context: null,
  properties: {},
  ...overrides,
});

const accepted = (verdict: Verdict): ValidEvent => {
  if (!verdict.ok) throw new Error(`expected the event to be accepted, got ${JSON.stringify(verdict)}`);
  return verdict.event;
};

/** The verdict as [field, rule], or 'ok'; the reason is checked separately. */
const outcome = (e: Event__Output, index = 3, ctx = context()): [string, string] | 'ok' => {
  const verdict = validateEvent(e, index, ctx);
  return verdict.ok ? 'ok' : [verdict.field, verdict.rule];
};

const rejection = (e: Event__Output, ctx = context()): { field: string; rule: string; reason: string } => {
  const verdict = validateEvent(e, 0, ctx);
  if (verdict.ok) throw new Error('expected the event to be rejected');
  return { field: verdict.field, rule: verdict.rule, reason: verdict.reason };
};

describe('validateEvent: a valid event', () => {
  it('is returned with the tenant and receive time set, and occurred_at defaulting to the receive time', () => {
    const stored = accepted(
      validateEvent(event({ tenantId: 'spoofed', receivedAt: { seconds: '1', nanos: 0 } }), 0, context())
    );
    expect(stored.tenantId).toBe('shop');
    expect(stored.receivedAt).toEqual({ seconds: Math.floor(NOW / 1000), nanos: 250_000_000 });
    expect(stored.occurredAt).toEqual(stored.receivedAt);
    expect(stored).toMatchObject({ eventId: 'e-1', type: 'view', itemIds: ['sku-1'], subjectKey: 'u1' });
  });

  it('keeps an occurred_at in range: from 2000-01-01 up to one day ahead of the clock', () => {
    for (const seconds of [
      String(Date.UTC(2000, 0, 1) / 1000),
      String(Math.floor(NOW / 1000) - 3600),
      String(Math.floor(NOW / 1000) + DAY_S),
    ]) {
      const occurredAt = { seconds, nanos: 0 };
      expect(accepted(validateEvent(event({ occurredAt }), 0, context())).occurredAt).toEqual({
        seconds: Number(seconds),
        nanos: 0,
      });
    }
  });

  it('accepts the limits themselves', () => {
    expect(outcome(event({ eventId: '!'.repeat(128) }))).toBe('ok');
    expect(outcome(event({ eventId: '~' }))).toBe('ok');
    expect(outcome(event({ identities: ids({ userId: 'u'.repeat(256) }) }))).toBe('ok');
    expect(outcome(event({ itemIds: Array.from({ length: MAX_ITEMS_PER_EVENT }, (_, i) => `i${i}`) }))).toBe('ok');
    expect(outcome(event({ itemIds: ['x'.repeat(256)] }))).toBe('ok');
    expect(
      outcome(event({ properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, num(i)])) }))
    ).toBe('ok');
    expect(outcome(event({ properties: { note: str('x'.repeat(4096)) } }))).toBe('ok');
    expect(outcome(event({ properties: { ['a'.repeat(64)]: bool(true) } }))).toBe('ok');
    expect(
      outcome(
        event({
          context: { ...emptyContext(), channel: 'c'.repeat(256), geo: { country: 'RU', region: '', city: '' } },
        })
      )
    ).toBe('ok');
  });

  it('reads properties into the values the schema sees, and stores them as sent', () => {
    const check = vi.fn(() => undefined);
    const spy: CompiledEventType = { ...loyalty, check };
    const properties = {
      points: num(5),
      tier: str('gold'),
      vip: bool(true),
      flag: { kind: 'boolValue' } as PropertyValue__Output,
    };
    const stored = accepted(validateEvent(event({ type: 'spy', properties }), 0, context({ eventType: () => spy })));
    expect(check).toHaveBeenCalledWith({ points: 5, tier: 'gold', vip: true, flag: false });
    expect(stored.properties).toEqual(properties);
  });
});

describe('validateEvent: field paths and rules of each problem', () => {
  const cases: [name: string, e: Event__Output, field: string, rule: string][] = [
    ['missing event_id', event({ eventId: '' }), 'event_id', 'required'],
    ['event_id with a space', event({ eventId: 'has space' }), 'event_id', 'pattern'],
    ['event_id of 129 characters', event({ eventId: 'x'.repeat(129) }), 'event_id', 'pattern'],
    ['event_id with a control character', event({ eventId: 'a\nb' }), 'event_id', 'pattern'],
    ['event_id with non-ASCII', event({ eventId: 'événement' }), 'event_id', 'pattern'],
    ['missing type', event({ type: '' }), 'type', 'required'],
    ['unregistered type', event({ type: 'teleport' }), 'type', 'unknown_type'],
    ['type not in snake_case', event({ type: 'View' }), 'type', 'unknown_type'],
    ['type with a subject separator', event({ type: 'view.>' }), 'type', 'unknown_type'],
    ['bad user_id', event({ identities: ids({ userId: 'a b' }) }), 'identities.user_id', 'pattern'],
    [
      'bad anonymous_id',
      event({ identities: ids({ userId: 'u', anonymousId: 'x'.repeat(257) }) }),
      'identities.anonymous_id',
      'pattern',
    ],
    ['bad device_id', event({ identities: ids({ deviceId: 'd\t1' }) }), 'identities.device_id', 'pattern'],
    ['no identities at all', event({ identities: null }), 'identities', 'required'],
    ['only empty identities', event({ identities: ids() }), 'identities', 'required'],
    ['invalid phone number', event({ identities: ids({ msisdn: '12345' }) }), 'identities.msisdn', 'e164'],
    ['invalid email', event({ identities: ids({ email: 'not-an-email' }) }), 'identities.email', 'email'],
    [
      'too many items',
      event({ itemIds: Array.from({ length: MAX_ITEMS_PER_EVENT + 1 }, (_, i) => `i${i}`) }),
      'item_ids',
      'max_items',
    ],
    ['empty item id', event({ itemIds: ['ok', ''] }), 'item_ids[1]', 'pattern'],
    ['item id with a space', event({ itemIds: ['ok', 'fine', 'has space'] }), 'item_ids[2]', 'pattern'],
    ['item id of 257 characters', event({ itemIds: ['x'.repeat(257)] }), 'item_ids[0]', 'pattern'],
    ['no items on a type that requires them', event({ itemIds: [] }), 'item_ids', 'required'],
    [
      'more than 50 properties',
      event({ properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, num(i)])) }),
      'properties',
      'max_properties',
    ],
    ['property name in camelCase', event({ properties: { pageUrl: str('x') } }), 'properties', 'property_name'],
    ['property name starting with a digit', event({ properties: { '1st': str('x') } }), 'properties', 'property_name'],
    [
      'property name of 65 characters',
      event({ properties: { ['a'.repeat(65)]: str('x') } }),
      'properties',
      'property_name',
    ],
    [
      'property string over 4096',
      event({ properties: { note: str('x'.repeat(4097)) } }),
      'properties.note',
      'max_length',
    ],
    ['NaN property', event({ properties: { score: num(NaN) } }), 'properties.score', 'finite'],
    ['infinite property', event({ properties: { score: num(-Infinity) } }), 'properties.score', 'finite'],
    ['property without a value', event({ properties: { empty: {} } }), 'properties.empty', 'required'],
    ['schema minimum', event({ properties: { price: num(-1) } }), 'properties.price', 'schema.minimum'],
    ['schema pattern', event({ properties: { currency: str('rub') } }), 'properties.currency', 'schema.pattern'],
    ['schema type', event({ properties: { price: str('9.50') } }), 'properties.price', 'schema.type'],
    ['schema required', event({ type: 'search', itemIds: [], properties: {} }), 'properties.query', 'schema.required'],
    [
      'schema enum',
      event({ type: 'delivery_status', properties: { delivery_id: str('d-1'), status: str('lost') } }),
      'properties.status',
      'schema.enum',
    ],
    [
      'context.channel too long',
      event({ context: { ...emptyContext(), channel: 'c'.repeat(257) } }),
      'context.channel',
      'max_length',
    ],
    [
      'context.placement too long',
      event({ context: { ...emptyContext(), placement: 'p'.repeat(257) } }),
      'context.placement',
      'max_length',
    ],
    [
      'context.page_category too long',
      event({ context: { ...emptyContext(), pageCategory: 'p'.repeat(257) } }),
      'context.page_category',
      'max_length',
    ],
    [
      'context.geo.region too long',
      event({ context: { ...emptyContext(), geo: { country: '', region: 'r'.repeat(257), city: '' } } }),
      'context.geo.region',
      'max_length',
    ],
    [
      'context.geo.city too long',
      event({ context: { ...emptyContext(), geo: { country: '', region: '', city: 'c'.repeat(257) } } }),
      'context.geo.city',
      'max_length',
    ],
    [
      'context.device.type too long',
      event({ context: { ...emptyContext(), device: { type: 't'.repeat(257), os: '', model: '' } } }),
      'context.device.type',
      'max_length',
    ],
    [
      'context.device.os too long',
      event({ context: { ...emptyContext(), device: { type: '', os: 'o'.repeat(257), model: '' } } }),
      'context.device.os',
      'max_length',
    ],
    [
      'context.device.model too long',
      event({ context: { ...emptyContext(), device: { type: '', os: '', model: 'm'.repeat(257) } } }),
      'context.device.model',
      'max_length',
    ],
    [
      'context.app.name too long',
      event({ context: { ...emptyContext(), app: { name: 'n'.repeat(257), version: '' } } }),
      'context.app.name',
      'max_length',
    ],
    [
      'context.app.version too long',
      event({ context: { ...emptyContext(), app: { name: '', version: 'v'.repeat(257) } } }),
      'context.app.version',
      'max_length',
    ],
    [
      'country in lowercase',
      event({ context: { ...emptyContext(), geo: { country: 'ru', region: '', city: '' } } }),
      'context.geo.country',
      'pattern',
    ],
    [
      'country of three letters',
      event({ context: { ...emptyContext(), geo: { country: 'RUS', region: '', city: '' } } }),
      'context.geo.country',
      'pattern',
    ],
    ['occurred_at before 2000', event({ occurredAt: { seconds: '946684799', nanos: 0 } }), 'occurred_at', 'range'],
    [
      'occurred_at over a day ahead',
      event({ occurredAt: { seconds: String(Math.floor(NOW / 1000) + DAY_S + 1), nanos: 0 } }),
      'occurred_at',
      'range',
    ],
    [
      'occurred_at far beyond int53',
      event({ occurredAt: { seconds: '9223372036854775807', nanos: 0 } }),
      'occurred_at',
      'range',
    ],
    [
      'occurred_at before the epoch',
      event({ occurredAt: { seconds: '-62135596800', nanos: 0 } }),
      'occurred_at',
      'range',
    ],
  ];

  it.each(cases)('%s', (_name, e, field, rule) => {
    expect(outcome(e)).toEqual([`events[3].${field}`, rule]);
    expect(outcome(e, 0)).toEqual([`events[0].${field}`, rule]);
  });

  it('gives reasons that never repeat the rejected value', () => {
    const secretish = 'leak-me-0123';
    for (const e of [
      event({ eventId: `${secretish} x` }),
      event({ type: 'teleport_leak_me_0123' }),
      event({ identities: ids({ userId: `${secretish} x` }) }),
      event({ itemIds: [`${secretish} x`] }),
      event({ properties: { leakMe: str(secretish) } }),
      event({ properties: { note: str(secretish.repeat(400)) } }),
      event({ properties: { currency: str(secretish) } }),
      event({ context: { ...emptyContext(), geo: { country: secretish, region: '', city: '' } } }),
    ]) {
      const { reason } = rejection(e);
      expect(reason).not.toMatch(/leak.me.0123/i);
      expect(reason).not.toBe('');
    }
  });

  it('reports the first problem in field order', () => {
    expect(outcome(event({ eventId: '', type: '', identities: null }))).toEqual(['events[3].event_id', 'required']);
    expect(outcome(event({ type: 'teleport', identities: null }))).toEqual(['events[3].type', 'unknown_type']);
    expect(outcome(event({ identities: null, itemIds: [''] }))).toEqual(['events[3].identities', 'required']);
    expect(outcome(event({ itemIds: [''], properties: { price: num(-1) } }))).toEqual([
      'events[3].item_ids[0]',
      'pattern',
    ]);
    expect(
      outcome(
        event({
          properties: { price: num(-1) },
          context: { ...emptyContext(), geo: { country: 'x', region: '', city: '' } },
        })
      )
    ).toEqual(['events[3].properties.price', 'schema.minimum']);
    expect(
      outcome(
        event({
          context: { ...emptyContext(), geo: { country: 'x', region: '', city: '' } },
          occurredAt: { seconds: '0', nanos: 0 },
        })
      )
    ).toEqual(['events[3].context.geo.country', 'pattern']);
  });

  it('does not look up a type that is not a well-formed name', () => {
    const eventType = vi.fn((name: string) => types.get(name));
    validateEvent(event({ type: 'Bad Type' }), 0, context({ eventType }));
    expect(eventType).not.toHaveBeenCalled();
    validateEvent(event({ type: 'view' }), 0, context({ eventType }));
    expect(eventType).toHaveBeenCalledWith('view');
  });
});

describe('validateEvent: requires_items', () => {
  it('applies to types that require items, and only to them', () => {
    for (const type of ['view', 'add_to_cart', 'purchase', 'play_start', 'play_progress', 'play_complete']) {
      expect(types.get(type)?.definition.requiresItems).toBe(true);
      const properties: Record<string, PropertyValue__Output> = type === 'play_progress' ? { position_s: num(1) } : {};
      expect(outcome(event({ type, itemIds: [], properties }))).toEqual(['events[3].item_ids', 'required']);
      expect(outcome(event({ type, itemIds: ['i'], properties }))).toBe('ok');
    }
    expect(outcome(event({ type: 'click', itemIds: [] }))).toBe('ok');
    expect(outcome(event({ type: 'loyalty_redeemed', itemIds: [], properties: { points: num(10) } }))).toBe('ok');
  });

  it('names the type in the reason', () => {
    expect(rejection(event({ type: 'purchase', itemIds: [] })).reason).toContain('"purchase"');
  });
});

describe('validateEvent: properties against the type’s JSON Schema', () => {
  it('checks a tenant’s own type, mapping schema errors to properties.<name> and schema.<keyword>', () => {
    const loyaltyEvent = (properties: Record<string, PropertyValue__Output>): Event__Output =>
      event({ type: 'loyalty_redeemed', itemIds: [], properties });
    expect(outcome(loyaltyEvent({ points: num(10), tier: str('gold') }))).toBe('ok');
    expect(outcome(loyaltyEvent({}))).toEqual(['events[3].properties.points', 'schema.required']);
    expect(outcome(loyaltyEvent({ points: num(0) }))).toEqual(['events[3].properties.points', 'schema.minimum']);
    expect(outcome(loyaltyEvent({ points: num(1.5) }))).toEqual(['events[3].properties.points', 'schema.type']);
    expect(outcome(loyaltyEvent({ points: str('10') }))).toEqual(['events[3].properties.points', 'schema.type']);
    expect(outcome(loyaltyEvent({ points: num(1), tier: str('bronze') }))).toEqual([
      'events[3].properties.tier',
      'schema.enum',
    ]);
    // An error about the object itself (here: a property the schema does not allow) names "properties".
    expect(outcome(loyaltyEvent({ points: num(1), extra: str('x') }))).toEqual([
      'events[3].properties',
      'schema.additionalProperties',
    ]);
    expect(rejection(loyaltyEvent({})).reason).toBe('is required');
  });

  it('allows properties a built-in schema does not list', () => {
    expect(outcome(event({ properties: { color: str('red'), size: num(42), gift: bool(false) } }))).toBe('ok');
  });

  it('checks the values as read: a bool property is a boolean, not a string', () => {
    expect(outcome(event({ properties: { price: bool(true) } }))).toEqual([
      'events[3].properties.price',
      'schema.type',
    ]);
  });
});

describe('validateEvent: identity protection', () => {
  const msisdnHash = hasher.hash('shop', 'msisdn', '+79123456789');
  const emailHash = hasher.hash('shop', 'email', 'alice@example.com');

  it('replaces a phone number by its keyed hash and the key id, with no trace of the number', () => {
    const stored = accepted(validateEvent(event({ identities: ids({ msisdn: '+7 912 345-67-89' }) }), 0, context()));
    expect(stored.identities).toEqual({ userId: '', anonymousId: '', deviceId: '', msisdnHash, hashKeyId: 'test-key' });
    expect(stored.identities).not.toHaveProperty('msisdn');
    expect(stored.identities).not.toHaveProperty('email');
    expect(JSON.stringify(stored)).not.toMatch(/912|345|67-89/);
    expect(stored.subjectKey).toBe(`msisdn:${msisdnHash}`);
  });

  it('hashes equivalent ways of writing the same number to the same value', () => {
    for (const msisdn of [
      '+7 912 345-67-89',
      '89123456789',
      '8 (912) 345-67-89',
      '+79123456789',
      ' +7-912-345-67-89 ',
    ]) {
      const stored = accepted(validateEvent(event({ identities: ids({ msisdn }) }), 0, context()));
      expect(stored.identities?.msisdnHash, msisdn).toBe(msisdnHash);
    }
    const other = accepted(validateEvent(event({ identities: ids({ msisdn: '+7 912 345-67-88' }) }), 0, context()));
    expect(other.identities?.msisdnHash).not.toBe(msisdnHash);
  });

  it('needs a + for numbers without a country code when no default region is set', () => {
    const noRegion = context({ defaultRegion: undefined });
    expect(outcome(event({ identities: ids({ msisdn: '89123456789' }) }), 0, noRegion)).toEqual([
      'events[0].identities.msisdn',
      'e164',
    ]);
    const stored = accepted(validateEvent(event({ identities: ids({ msisdn: '+7 912 345-67-89' }) }), 0, noRegion));
    expect(stored.identities?.msisdnHash).toBe(msisdnHash);
  });

  it('rejects an invalid phone number with a reason that does not contain it', () => {
    for (const msisdn of [
      '12345',
      '+7 000 000-00-00',
      'call me maybe',
      '+7 912 345-67-89-00-11',
      `+7${'9'.repeat(70)}`,
    ]) {
      const problem = rejection(event({ identities: ids({ userId: 'u1', msisdn }) }));
      expect(problem).toMatchObject({ field: 'events[0].identities.msisdn', rule: 'e164' });
      expect(problem.reason).not.toContain(msisdn.trim());
      expect(problem.reason).not.toMatch(/\d{3}/);
    }
  });

  it('replaces an email address by its keyed hash of the lowercased, trimmed address', () => {
    for (const email of ['alice@example.com', '  Alice@Example.COM ', 'ALICE@EXAMPLE.COM']) {
      const stored = accepted(validateEvent(event({ identities: ids({ email }) }), 0, context()));
      expect(stored.identities).toEqual({
        userId: '',
        anonymousId: '',
        deviceId: '',
        emailHash,
        hashKeyId: 'test-key',
      });
      expect(JSON.stringify(stored).toLowerCase()).not.toContain('alice');
      expect(stored.subjectKey).toBe(`email:${emailHash}`);
    }
  });

  it('rejects an invalid email address with a reason that does not contain it', () => {
    for (const email of [
      'alice',
      'alice@example',
      'al ice@example.com',
      'a@b@example.com',
      `${'a'.repeat(250)}@example.com`,
    ]) {
      const problem = rejection(event({ identities: ids({ email }) }));
      expect(problem).toMatchObject({ field: 'events[0].identities.email', rule: 'email' });
      expect(problem.reason).not.toContain('alice');
      expect(problem.reason).not.toContain('example');
    }
  });

  it('hashes phone and email per tenant', () => {
    const e = event({ identities: ids({ msisdn: '+79123456789', email: 'alice@example.com' }) });
    const shop = accepted(validateEvent(e, 0, context())).identities;
    const other = accepted(validateEvent(e, 0, context({ tenantId: 'other' }))).identities;
    expect(other?.msisdnHash).not.toBe(shop?.msisdnHash);
    expect(other?.emailHash).not.toBe(shop?.emailHash);
    expect(other?.msisdnHash).toBe(hasher.hash('other', 'msisdn', '+79123456789'));
  });

  it('ignores hashes and a key id sent by the client', () => {
    const forged = ids({ userId: 'u1', msisdnHash: 'forged', emailHash: 'forged', hashKeyId: 'forged' });
    const stored = accepted(validateEvent(event({ identities: forged }), 0, context()));
    expect(stored.identities).toEqual({ userId: 'u1', anonymousId: '', deviceId: '' });

    const replaced = accepted(
      validateEvent(
        event({ identities: ids({ msisdn: '+79123456789', msisdnHash: 'forged', hashKeyId: 'old' }) }),
        0,
        context()
      )
    );
    expect(replaced.identities).toMatchObject({ msisdnHash, hashKeyId: 'test-key' });

    // A client-supplied hash alone does not identify anyone.
    expect(outcome(event({ identities: ids({ msisdnHash: 'f'.repeat(64), emailHash: 'e'.repeat(64) }) }))).toEqual([
      'events[3].identities',
      'required',
    ]);
  });

  it('sets no key id when nothing was hashed', () => {
    const stored = accepted(validateEvent(event({ identities: ids({ userId: 'u1', deviceId: 'd1' }) }), 0, context()));
    expect(stored.identities).toEqual({ userId: 'u1', anonymousId: '', deviceId: 'd1' });
  });
});

describe('validateEvent: subject key', () => {
  const msisdnHash = hasher.hash('shop', 'msisdn', '+79123456789');
  const emailHash = hasher.hash('shop', 'email', 'a@example.com');
  const all = { userId: 'u1', anonymousId: 'a1', deviceId: 'd1', msisdn: '+79123456789', email: 'a@example.com' };

  it('takes user id, then phone hash, email hash, device id and anonymous id (the identity rank)', () => {
    const key = (identities: Partial<Identities__Output>): string =>
      accepted(validateEvent(event({ identities: ids(identities) }), 0, context())).subjectKey;
    expect(key(all)).toBe('u1');
    expect(key({ ...all, userId: '' })).toBe(`msisdn:${msisdnHash}`);
    expect(key({ ...all, userId: '', msisdn: '', email: '' })).toBe('device:d1');
    expect(key({ anonymousId: 'a1', email: all.email })).toBe(`email:${emailHash}`);
    expect(key({ anonymousId: 'a1' })).toBe('anon:a1');
    expect(key({ email: all.email })).toBe(`email:${emailHash}`);
  });

  it('keeps every identity it was given, protected', () => {
    const stored = accepted(validateEvent(event({ identities: ids(all) }), 0, context()));
    expect(stored.identities).toEqual({
      userId: 'u1',
      anonymousId: 'a1',
      deviceId: 'd1',
      msisdnHash,
      emailHash,
      hashKeyId: 'test-key',
    });
  });
});

describe('validateEvent: occurred_at nanos', () => {
  it('refuses nanos outside 0..999999999', () => {
    for (const nanos of [-1, 1_000_000_000]) {
      expect(outcome(event({ occurredAt: { seconds: String(NOW / 1000 - 60), nanos } }))).toEqual([
        'events[3].occurred_at.nanos',
        'range',
      ]);
    }
  });
});

describe('validateEvent: catalog item events', () => {
  const item = (overrides: Partial<Event__Output> = {}): Event__Output =>
    event({ type: 'item', identities: ids(), properties: { price: num(10), available: bool(false) }, ...overrides });

  it('are about the one item they name, with no identities', () => {
    expect(accepted(validateEvent(item(), 0, context()))).toMatchObject({ subjectKey: 'item:sku-1' });
  });

  it('refuse identities, no item or several items', () => {
    expect(outcome(item({ identities: ids({ userId: 'u1' }) }))).toEqual(['events[3].identities', 'none']);
    expect(outcome(item({ itemIds: [] }))).toEqual(['events[3].item_ids', 'one_item']);
    expect(outcome(item({ itemIds: ['a', 'b'] }))).toEqual(['events[3].item_ids', 'one_item']);
    expect(outcome(item({ properties: { stock: num(-1) } }))).toEqual(['events[3].properties.stock', 'schema.minimum']);
  });

  it('do not make identities optional for other types', () => {
    expect(outcome(event({ identities: ids() }))).toEqual(['events[3].identities', 'required']);
  });
});
