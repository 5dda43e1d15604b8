import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';

/**
 * Event types and the JSON Schemas (draft-07) their properties must satisfy. One way to describe events:
 * properties arrive as protobuf `PropertyValue`s (string, number or bool) or plain JSON values, are read
 * as a flat JSON object, and are checked with ajv against the type's schema. Built-in types are known to
 * every tenant; a tenant registers its own (PutEventType) and they are compiled once, when they change.
 */
export interface EventTypeDefinition {
  name: string;
  description: string;
  /** JSON Schema for the flat properties object. */
  propertiesSchema: Record<string, unknown>;
  /** Events of this type must name at least one item. */
  requiresItems: boolean;
  /**
   * What events of this type are about: a user (they carry identities), or the one item they name (the
   * catalog's `item` type: no identities).
   */
  about?: 'item';
}

export interface SchemaProblem {
  /** Property path under `properties`, e.g. "price"; empty for the object itself. */
  path: string;
  /** The JSON Schema keyword that failed, e.g. "minimum", "required", "type". */
  keyword: string;
  message: string;
}

export interface CompiledEventType {
  definition: EventTypeDefinition;
  builtIn: boolean;
  /** The first problem with the properties, or undefined when they are valid. */
  check(properties: Record<string, unknown>): SchemaProblem | undefined;
}

const currency = { type: 'string', pattern: '^[A-Z]{3}$' };
const nonNegative = { type: 'number', minimum: 0 };
const id = { type: 'string', minLength: 1, maxLength: 256 };
// The category of the items, for category features (affinity, popularity per category).
const category = id;
const object = (properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> => ({
  type: 'object',
  properties,
  required,
});

/** The types every tenant has. Unlisted properties are allowed; listed ones must have the right shape. */
export const BUILT_IN_TYPES: readonly EventTypeDefinition[] = [
  {
    name: 'view',
    description: 'A user looked at an item.',
    requiresItems: true,
    propertiesSchema: object({ price: nonNegative, currency, category }),
  },
  {
    name: 'add_to_cart',
    description: 'A user put items in the cart.',
    requiresItems: true,
    propertiesSchema: object({ quantity: { type: 'integer', minimum: 1 }, price: nonNegative, currency, category }),
  },
  {
    name: 'purchase',
    description: 'A user bought items.',
    requiresItems: true,
    propertiesSchema: object({
      order_id: id,
      revenue: nonNegative,
      currency,
      quantity: { type: 'integer', minimum: 1 },
      category,
    }),
  },
  {
    name: 'search',
    description: 'A user searched.',
    requiresItems: false,
    propertiesSchema: object(
      { query: { type: 'string', minLength: 1, maxLength: 1024 }, results: { type: 'integer', minimum: 0 } },
      ['query']
    ),
  },
  {
    name: 'play_start',
    description: 'Playback of content started.',
    requiresItems: true,
    propertiesSchema: object({ position_s: nonNegative, category }),
  },
  {
    name: 'play_progress',
    description: 'Playback reached a position.',
    requiresItems: true,
    propertiesSchema: object({ position_s: nonNegative, duration_s: nonNegative }, ['position_s']),
  },
  {
    name: 'play_complete',
    description: 'Playback reached the end.',
    requiresItems: true,
    propertiesSchema: object({ duration_s: nonNegative, category }),
  },
  {
    name: 'impression',
    description: 'An ad or offer was shown.',
    requiresItems: false,
    propertiesSchema: object({ campaign_id: id, creative_id: id, decision_id: id }),
  },
  {
    name: 'click',
    description: 'An ad, offer or recommendation was clicked.',
    requiresItems: false,
    propertiesSchema: object({ campaign_id: id, creative_id: id, decision_id: id }),
  },
  {
    name: 'conversion',
    description: 'An ad or offer led to its goal.',
    requiresItems: false,
    propertiesSchema: object({ campaign_id: id, decision_id: id, value: nonNegative, currency }),
  },
  {
    name: 'delivery_status',
    description:
      'What happened to an offer sent through a channel: the delivery service reports delivered or failed (dead-lettered) ' +
      'once per offer; channel adapters may add opened and clicked.',
    requiresItems: false,
    propertiesSchema: object(
      {
        delivery_id: id,
        status: { enum: ['sent', 'delivered', 'failed', 'opened', 'clicked'] },
        channel: id,
        campaign_id: id,
        creative_id: id,
        decision_id: id,
        attempts: { type: 'integer', minimum: 0 },
      },
      ['delivery_id', 'status']
    ),
  },
  {
    name: 'roaming_start',
    description: 'A subscriber started roaming abroad.',
    requiresItems: false,
    propertiesSchema: object({ country: { type: 'string', pattern: '^[A-Z]{2}$' }, operator: id }, ['country']),
  },
  {
    name: 'balance_low',
    description: 'A subscriber’s balance fell below a threshold.',
    requiresItems: false,
    propertiesSchema: object({ balance: { type: 'number' }, currency }, ['balance']),
  },
  {
    name: 'tariff_change',
    description: 'A subscriber changed tariff.',
    requiresItems: false,
    propertiesSchema: object({ from_tariff: id, to_tariff: id }, ['to_tariff']),
  },
  {
    name: 'item',
    description:
      'An item was added to the catalog or changed (the catalog keeps the latest by occurred_at). Names exactly ' +
      'one item and no identities. Unavailable or out-of-stock items are never recommended.',
    requiresItems: true,
    about: 'item',
    propertiesSchema: object({
      category: { type: 'string', minLength: 1, maxLength: 512 }, // a path: "electronics/phones"
      brand: id,
      price: nonNegative,
      currency,
      available: { type: 'boolean' },
      stock: { type: 'integer', minimum: 0 },
      created_at: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}' },
      series_id: id,
      season: { type: 'integer', minimum: 0, maximum: 9999 },
      episode: { type: 'integer', minimum: 0, maximum: 99999 },
      duration_s: nonNegative,
    }),
  },
  {
    name: 'consent',
    description:
      'A user granted or withdrew consent for a purpose (the latest by occurred_at holds). Without ' +
      'personalization consent, recommendations use no personal data.',
    requiresItems: false,
    propertiesSchema: object(
      {
        purpose: {
          enum: ['personalization', 'ads_targeting', 'analytics', 'contact_sms', 'contact_push', 'contact_email'],
        },
        granted: { type: 'boolean' },
        source: id,
      },
      ['purpose', 'granted']
    ),
  },
  {
    name: 'data_usage',
    description: 'Mobile data a subscriber used over a period.',
    requiresItems: false,
    propertiesSchema: object({ bytes: { type: 'integer', minimum: 0 }, period_s: { type: 'integer', minimum: 1 } }, [
      'bytes',
    ]),
  },
];

/**
 * strict mode refuses unknown keywords, so a typo in a tenant's schema fails when it is registered, not
 * silently at validation time. Tenants' `pattern`s run on RE2 (linear time, no backreferences or
 * lookaround): a pattern like ^(a+)+$ would otherwise let one tenant stall the event loop for everyone.
 */
const AJV_OPTIONS: Options = {
  strict: true,
  allErrors: false,
  allowUnionTypes: true,
  code: {
    // `code` names the engine in generated standalone code, which we never emit.
    regExp: Object.assign(
      (pattern: string) => {
        const re = RE2JS.compile(pattern);
        return { test: (text: string) => re.matcher(text).find() };
      },
      { code: 're2js' }
    ),
  },
};

/** Built-in schemas are ours: their patterns run on the (faster) native engine. */
const builtInAjv = new Ajv({ ...AJV_OPTIONS, code: {} });

export function compileEventType(definition: EventTypeDefinition, builtIn: boolean): CompiledEventType {
  // An instance per tenant schema: ajv keeps every schema it compiled (by $id too), and types are replaced.
  const ajv = builtIn ? builtInAjv : new Ajv(AJV_OPTIONS);
  const validate: ValidateFunction = ajv.compile(definition.propertiesSchema);
  return {
    definition,
    builtIn,
    check: (properties) => (validate(properties) ? undefined : toProblem(validate.errors?.[0])),
  };
}

/** Throws with ajv's reason when `schema` is not a usable JSON Schema for properties. */
export function checkPropertiesSchema(schema: unknown): asserts schema is Record<string, unknown> {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) throw new Error('must be a JSON object');
  if ((schema as { type?: unknown }).type !== 'object') throw new Error('must describe an object ("type": "object")');
  new Ajv(AJV_OPTIONS).compile(schema);
}

function toProblem(error: ErrorObject | undefined): SchemaProblem {
  if (!error) return { path: '', keyword: 'schema', message: 'is invalid' };
  // instancePath is a JSON pointer ("/price"); required errors name the missing property in params.
  const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : '';
  const path = [...error.instancePath.split('/').filter(Boolean), ...(missing ? [missing] : [])].join('.');
  return { path, keyword: error.keyword, message: missing ? 'is required' : (error.message ?? 'is invalid') };
}

export const BUILT_INS: ReadonlyMap<string, CompiledEventType> = new Map(
  BUILT_IN_TYPES.map((definition) => [definition.name, compileEventType(definition, true)])
);
