import { describe, expect, it } from 'vitest';

import { EVENT_TYPE_PATTERN } from '@dmp/messaging';

import {
  BUILT_IN_TYPES,
  BUILT_INS,
  checkPropertiesSchema,
  compileEventType,
  type CompiledEventType,
  type SchemaProblem,
} from './event-types';

/** For each built-in type: properties it accepts, and typical mistakes with the problem each gives. */
const EXAMPLES: Record<
  string,
  { valid: Record<string, unknown>[]; invalid: [Record<string, unknown>, SchemaProblem][] }
> = {
  view: {
    valid: [{}, { price: 9.5, currency: 'RUB' }],
    invalid: [
      [{ price: -1 }, { path: 'price', keyword: 'minimum', message: 'must be >= 0' }],
      [{ currency: 'rub' }, { path: 'currency', keyword: 'pattern', message: 'must match pattern "^[A-Z]{3}$"' }],
    ],
  },
  add_to_cart: {
    valid: [{ quantity: 2, price: 0, currency: 'USD' }],
    invalid: [
      [{ quantity: 1.5 }, { path: 'quantity', keyword: 'type', message: 'must be integer' }],
      [{ quantity: 0 }, { path: 'quantity', keyword: 'minimum', message: 'must be >= 1' }],
    ],
  },
  purchase: {
    valid: [{ order_id: 'o-1', revenue: 100, currency: 'EUR', quantity: 3 }],
    invalid: [
      [{ order_id: '' }, { path: 'order_id', keyword: 'minLength', message: 'must NOT have fewer than 1 characters' }],
      [{ revenue: '100' }, { path: 'revenue', keyword: 'type', message: 'must be number' }],
    ],
  },
  search: {
    valid: [{ query: 'red shoes', results: 0 }],
    invalid: [
      [{}, { path: 'query', keyword: 'required', message: 'is required' }],
      [{ query: '' }, { path: 'query', keyword: 'minLength', message: 'must NOT have fewer than 1 characters' }],
      [
        { query: 'q'.repeat(1025) },
        { path: 'query', keyword: 'maxLength', message: 'must NOT have more than 1024 characters' },
      ],
    ],
  },
  play_start: {
    valid: [{}, { position_s: 0 }],
    invalid: [[{ position_s: 'start' }, { path: 'position_s', keyword: 'type', message: 'must be number' }]],
  },
  play_progress: {
    valid: [{ position_s: 10.5, duration_s: 3600 }],
    invalid: [
      [{ duration_s: 3600 }, { path: 'position_s', keyword: 'required', message: 'is required' }],
      [{ position_s: -0.5 }, { path: 'position_s', keyword: 'minimum', message: 'must be >= 0' }],
    ],
  },
  play_complete: {
    valid: [{ duration_s: 3600 }],
    invalid: [[{ duration_s: -1 }, { path: 'duration_s', keyword: 'minimum', message: 'must be >= 0' }]],
  },
  impression: {
    valid: [{ campaign_id: 'c-1', creative_id: 'cr-1', decision_id: 'd-1' }],
    invalid: [[{ campaign_id: 7 }, { path: 'campaign_id', keyword: 'type', message: 'must be string' }]],
  },
  click: {
    valid: [{}, { decision_id: 'd-1' }],
    invalid: [
      [
        { decision_id: 'd'.repeat(257) },
        { path: 'decision_id', keyword: 'maxLength', message: 'must NOT have more than 256 characters' },
      ],
    ],
  },
  conversion: {
    valid: [{ campaign_id: 'c-1', decision_id: 'd-1', value: 12.5, currency: 'KZT' }],
    invalid: [[{ value: -0.01 }, { path: 'value', keyword: 'minimum', message: 'must be >= 0' }]],
  },
  delivery_status: {
    valid: ['sent', 'delivered', 'failed', 'opened', 'clicked'].map((status) => ({
      delivery_id: 'dl-1',
      status,
      channel: 'sms',
    })),
    invalid: [
      [
        { delivery_id: 'dl-1', status: 'lost' },
        { path: 'status', keyword: 'enum', message: 'must be equal to one of the allowed values' },
      ],
      [{ status: 'sent' }, { path: 'delivery_id', keyword: 'required', message: 'is required' }],
    ],
  },
  roaming_start: {
    valid: [{ country: 'TR', operator: 'Turkcell' }],
    invalid: [
      [{ country: 'Turkey' }, { path: 'country', keyword: 'pattern', message: 'must match pattern "^[A-Z]{2}$"' }],
      [{ operator: 'Turkcell' }, { path: 'country', keyword: 'required', message: 'is required' }],
    ],
  },
  balance_low: {
    valid: [{ balance: -12.5, currency: 'RUB' }, { balance: 0 }],
    invalid: [
      [{ currency: 'RUB' }, { path: 'balance', keyword: 'required', message: 'is required' }],
      [{ balance: true }, { path: 'balance', keyword: 'type', message: 'must be number' }],
    ],
  },
  tariff_change: {
    valid: [{ from_tariff: 'basic', to_tariff: 'max' }],
    invalid: [[{ from_tariff: 'basic' }, { path: 'to_tariff', keyword: 'required', message: 'is required' }]],
  },
  item: {
    valid: [
      { category: 'electronics/phones', brand: 'Acme', price: 199, available: true, stock: 3 },
      { series_id: 'dark', season: 1, episode: 2, duration_s: 3120, created_at: '2026-11-01T00:00:00Z' },
      {},
    ],
    invalid: [
      [{ stock: -1 }, { path: 'stock', keyword: 'minimum', message: 'must be >= 0' }],
      [{ available: 'yes' }, { path: 'available', keyword: 'type', message: 'must be boolean' }],
      [
        { created_at: 'yesterday' },
        {
          path: 'created_at',
          keyword: 'pattern',
          message: 'must match pattern "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}"',
        },
      ],
    ],
  },
  consent: {
    valid: [
      { purpose: 'personalization', granted: false, source: 'app-settings' },
      { purpose: 'contact_sms', granted: true },
    ],
    invalid: [
      [{ granted: true }, { path: 'purpose', keyword: 'required', message: 'is required' }],
      [{ purpose: 'personalization' }, { path: 'granted', keyword: 'required', message: 'is required' }],
      [
        { purpose: 'everything', granted: true },
        { path: 'purpose', keyword: 'enum', message: 'must be equal to one of the allowed values' },
      ],
    ],
  },
  data_usage: {
    valid: [{ bytes: 0 }, { bytes: 1_048_576, period_s: 3600 }],
    invalid: [
      [
        { bytes: 1, period_s: 0 },
        { path: 'period_s', keyword: 'minimum', message: 'must be >= 1' },
      ],
      [{ bytes: 1.5 }, { path: 'bytes', keyword: 'type', message: 'must be integer' }],
      [{ period_s: 60 }, { path: 'bytes', keyword: 'required', message: 'is required' }],
    ],
  },
};

describe('built-in event types', () => {
  it('are listed once each, with well-formed names, compiled and marked built-in', () => {
    const names = BUILT_IN_TYPES.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...BUILT_INS.keys()]).toEqual(names);
    for (const definition of BUILT_IN_TYPES) {
      expect(definition.name).toMatch(EVENT_TYPE_PATTERN);
      expect(definition.description).not.toBe('');
      expect(BUILT_INS.get(definition.name)).toMatchObject({ definition, builtIn: true });
      expect(() => checkPropertiesSchema(definition.propertiesSchema)).not.toThrow();
    }
  });

  it('all have examples here', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(BUILT_IN_TYPES.map((t) => t.name).sort());
  });

  describe.each(Object.entries(EXAMPLES))('%s', (name, { valid, invalid }) => {
    const type = BUILT_INS.get(name)!;

    it.each(valid.map((properties) => [JSON.stringify(properties), properties]))('accepts %s', (_label, properties) => {
      expect(type.check(properties)).toBeUndefined();
    });

    it.each(invalid.map(([properties, problem]) => [JSON.stringify(properties), properties, problem]))(
      'rejects %s',
      (_label, properties, problem) => {
        expect(type.check(properties)).toEqual(problem);
      }
    );

    it('allows properties its schema does not list', () => {
      expect(type.check({ ...valid[0], some_extra: 'x', another_one: 3 })).toBeUndefined();
    });
  });

  it('say which ones need items: the commerce and playback types', () => {
    expect(BUILT_IN_TYPES.filter((t) => t.requiresItems).map((t) => t.name)).toEqual([
      'view',
      'add_to_cart',
      'purchase',
      'play_start',
      'play_progress',
      'play_complete',
      'item',
    ]);
    expect(BUILT_IN_TYPES.filter((t) => t.about === 'item').map((t) => t.name)).toEqual(['item']);
  });
});

describe('compileEventType', () => {
  it('compiles a tenant’s schema into a check that reports the first problem', () => {
    const type = compileEventType(
      {
        name: 'loyalty_redeemed',
        description: 'Points were redeemed.',
        requiresItems: false,
        propertiesSchema: {
          type: 'object',
          properties: {
            points: { type: 'integer', minimum: 1 },
            reward: { type: 'object', properties: { sku: { type: 'string', minLength: 3 } } },
          },
          required: ['points'],
          additionalProperties: false,
        },
      },
      false
    );
    expect(type.builtIn).toBe(false);
    expect(type.definition.name).toBe('loyalty_redeemed');
    expect(type.check({ points: 5 })).toBeUndefined();
    expect(type.check({})).toEqual({ path: 'points', keyword: 'required', message: 'is required' });
    expect(type.check({ points: 5, reward: { sku: 'x' } })).toEqual({
      path: 'reward.sku',
      keyword: 'minLength',
      message: 'must NOT have fewer than 3 characters',
    });
    expect(type.check({ points: 5, other: 1 })).toEqual({
      path: '',
      keyword: 'additionalProperties',
      message: 'must NOT have additional properties',
    });
  });

  it('throws on a schema ajv’s strict mode refuses', () => {
    const define = (propertiesSchema: Record<string, unknown>) => () =>
      compileEventType({ name: 'bad', description: '', requiresItems: false, propertiesSchema }, false);
    expect(define({ type: 'object', propertys: {} })).toThrow(/unknown keyword/);
    expect(define({ type: 'object', properties: { n: { type: 'numbr' } } })).toThrow();
  });
});

describe('checkPropertiesSchema', () => {
  it('accepts an object schema', () => {
    expect(() => checkPropertiesSchema({ type: 'object' })).not.toThrow();
    expect(() =>
      checkPropertiesSchema({
        type: 'object',
        properties: { points: { type: 'integer', minimum: 1 }, tier: { enum: ['silver', 'gold'] } },
        required: ['points'],
        additionalProperties: false,
      })
    ).not.toThrow();
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"type":"object"}'],
    ['a number', 42],
    ['a boolean schema', true],
    ['an array', [{ type: 'object' }]],
  ])('refuses %s: not a JSON object', (_name, schema) => {
    expect(() => checkPropertiesSchema(schema)).toThrow('must be a JSON object');
  });

  it.each<[string, Record<string, unknown>]>([
    ['no type', { properties: { a: { type: 'string' } } }],
    ['type array', { type: 'array', items: { type: 'string' } }],
    ['type string', { type: 'string' }],
    ['a union of types', { type: ['object', 'null'] }],
    ['type in another case', { type: 'Object' }],
  ])('refuses a schema with %s: it must describe an object', (_name, schema) => {
    expect(() => checkPropertiesSchema(schema)).toThrow('must describe an object ("type": "object")');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a misspelt keyword', { type: 'object', propertys: { a: { type: 'string' } } }, /unknown keyword: "propertys"/],
    [
      'an unknown keyword inside a property',
      { type: 'object', properties: { a: { type: 'string', maxLen: 3 } } },
      /unknown keyword: "maxLen"/,
    ],
    ['an unknown format keyword', { type: 'object', 'x-extension': true }, /unknown keyword/],
    ['an unknown type', { type: 'object', properties: { a: { type: 'text' } } }, /type/],
    ['a required that is not a list', { type: 'object', required: 'a' }, /required/],
    ['a negative length', { type: 'object', properties: { a: { type: 'string', minLength: -1 } } }, /minLength/],
  ])('refuses %s (ajv strict)', (_name, schema, message) => {
    expect(() => checkPropertiesSchema(schema)).toThrow(message);
  });
});

describe('tenant schemas: safety', () => {
  const type = (propertiesSchema: Record<string, unknown>): CompiledEventType =>
    compileEventType({ name: 'x', description: '', requiresItems: false, propertiesSchema }, false);

  it('runs patterns on RE2, so a catastrophic pattern cannot stall the process', () => {
    const compiled = type({ type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } });
    expect(compiled.check({ s: `${'a'.repeat(4000)}b` })).toMatchObject({ path: 's', keyword: 'pattern' });
    expect(compiled.check({ s: 'aaaa' })).toBeUndefined();
  });

  it('refuses patterns RE2 cannot run (lookaround, backreferences) when the schema is registered', () => {
    expect(() =>
      checkPropertiesSchema({ type: 'object', properties: { s: { type: 'string', pattern: '(?=a)b' } } })
    ).toThrow();
    expect(() =>
      checkPropertiesSchema({ type: 'object', properties: { s: { type: 'string', pattern: '(a)\\1' } } })
    ).toThrow();
  });

  it('compiles the same $id again (a type replaced, or another tenant using it)', () => {
    const schema = { $id: 'https://example.com/points', type: 'object' };
    expect(() => [type(schema), type(schema)]).not.toThrow();
  });
});
