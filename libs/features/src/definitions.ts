/**
 * Feature definitions: what the feature store computes from the event stream, as data. A tenant's
 * feature set is a versioned JSON document (kept in NATS KV, hot-reloaded); `parseFeatureSet` validates it
 * and says exactly what is wrong, e.g. `features[3].aggregation.window: must be one of 1h, 24h, 7d, 30d, all`.
 */

/** Sliding windows, each kept as a ring of time buckets: memory is bounded, precision is one bucket. */
export const WINDOWS = {
  '1h': { bucketSeconds: 300, buckets: 12 },
  '24h': { bucketSeconds: 3_600, buckets: 24 },
  '7d': { bucketSeconds: 21_600, buckets: 28 },
  '30d': { bucketSeconds: 86_400, buckets: 30 },
} as const;
export type WindowName = keyof typeof WINDOWS | 'all';
const WINDOW_NAMES: readonly WindowName[] = ['1h', '24h', '7d', '30d', 'all'];

/** What a feature describes, and how its id is formed from an event. */
export type EntityKind = 'user' | 'item' | 'user_category' | 'category' | 'tenant';
export const ENTITY_KINDS: readonly EntityKind[] = ['user', 'item', 'user_category', 'category', 'tenant'];

export type Aggregation =
  | { kind: 'count'; window: WindowName }
  | { kind: 'sum'; property: string; window: WindowName }
  | { kind: 'last_seen' }
  | { kind: 'last_n'; n: number }
  | { kind: 'item_set'; max: number }
  | { kind: 'distinct_count'; of: 'item' | 'user'; window: WindowName }
  | { kind: 'ratio'; numerator: string; denominator: string }
  | { kind: 'decayed_count'; by: 'category'; halfLifeSeconds: number; top: number }
  | { kind: 'top_items'; halfLifeSeconds?: number; top: number }
  | { kind: 'trending'; short: Exclude<WindowName, 'all'>; long: Exclude<WindowName, 'all'> }
  | { kind: 'cooccurrence'; recent: number; top: number; directed: boolean };

export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists';

/** A filter on the source events: `properties.<name>`, `type`, or a context field. */
export interface Condition {
  path: string;
  op: ConditionOp;
  value?: string | number | boolean | (string | number)[];
}

export interface FeatureDefinition {
  /** `<entity>.<snake_case>`, e.g. "user.views_24h". */
  name: string;
  entity: EntityKind;
  description?: string;
  /** Source event types; "*" for any. Unused by read-time aggregations (ratio). */
  events: string[];
  where?: Condition[];
  aggregation: Aggregation;
  /** After this long without an update the value reads as MISSING (and Redis drops it eventually). */
  ttlSeconds: number;
  /** After this long without an update the value reads as STALE. */
  staleAfterSeconds?: number;
}

export interface FeatureSet {
  version: number;
  features: FeatureDefinition[];
}

export class FeatureSetError extends Error {
  constructor(
    readonly path: string,
    problem: string
  ) {
    super(`${path}: ${problem}`);
    this.name = 'FeatureSetError';
  }
}

const DEFAULT_TTL_SECONDS = 90 * 86_400;
const NAME_PATTERN = /^(user|item|user_category|category|tenant)\.[a-z][a-z0-9_]{0,62}$/;
const EVENT_TYPE_PATTERN = /^([a-z][a-z0-9_]{0,63}|\*)$/;
const PROPERTY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
// Where a condition may look: the type, a property, or one of these context fields.
const CONDITION_PATHS =
  /^(type|properties\.[a-z][a-z0-9_]{0,63}|context\.(channel|placement|page_category|geo\.country|device\.type|app\.name))$/;
const OPS: readonly ConditionOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'];

/** "90d", "12h", "30m", "45s" → seconds. */
export function parseDuration(text: unknown, path: string): number {
  const match = typeof text === 'string' ? /^(\d{1,6})(s|m|h|d)$/.exec(text) : null;
  if (!match) throw new FeatureSetError(path, 'must be a duration such as "30m", "12h" or "7d"');
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3_600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (seconds <= 0) throw new FeatureSetError(path, 'must be longer than zero');
  return seconds;
}

/**
 * Validates a feature set document (as parsed JSON) and returns it in its canonical form. `inherited`
 * features (the defaults, for a tenant's own set) may be referenced by ratios but not redefined.
 */
export function parseFeatureSet(doc: unknown, inherited: readonly FeatureDefinition[] = []): FeatureSet {
  const root = object(doc, '');
  onlyKeys(root, ['version', 'features'], '');
  const version = root['version'];
  if (!Number.isInteger(version) || (version as number) < 1)
    throw new FeatureSetError('version', 'must be a positive integer');
  if (!Array.isArray(root['features'])) throw new FeatureSetError('features', 'must be an array');
  if (root['features'].length > 500) throw new FeatureSetError('features', 'holds more than 500 features');
  const features = root['features'].map((raw, i) => parseFeature(raw, `features[${i}]`));

  const byName = new Map<string, FeatureDefinition>(inherited.map((f) => [f.name, f]));
  features.forEach((f, i) => {
    if (byName.has(f.name)) {
      const why = inherited.some((d) => d.name === f.name) ? 'is a default feature' : 'is defined twice';
      throw new FeatureSetError(`features[${i}].name`, `"${f.name}" ${why}`);
    }
    byName.set(f.name, f);
  });
  features.forEach((f, i) => {
    if (f.aggregation.kind !== 'ratio') return;
    for (const side of ['numerator', 'denominator'] as const) {
      const ref = byName.get(f.aggregation[side]);
      const path = `features[${i}].aggregation.${side}`;
      if (!ref) throw new FeatureSetError(path, `no feature named "${f.aggregation[side]}"`);
      if (ref.entity !== f.entity)
        throw new FeatureSetError(path, `"${ref.name}" describes ${ref.entity}, not ${f.entity}`);
      if (!['count', 'sum', 'distinct_count'].includes(ref.aggregation.kind)) {
        throw new FeatureSetError(path, `"${ref.name}" is not a count, sum or distinct count`);
      }
    }
  });
  return { version: version as number, features };
}

const FEATURE_KEYS = ['name', 'entity', 'description', 'events', 'where', 'aggregation', 'ttl', 'staleAfter'];
const AGGREGATION_KEYS: Record<string, string[]> = {
  count: ['window'],
  sum: ['property', 'window'],
  last_seen: [],
  last_n: ['n'],
  item_set: ['max'],
  distinct_count: ['of', 'window'],
  ratio: ['numerator', 'denominator'],
  decayed_count: ['by', 'halfLife', 'top'],
  top_items: ['halfLife', 'top'],
  trending: ['short', 'long'],
  cooccurrence: ['recent', 'top', 'directed'],
};

/** Seconds in the largest unit that divides them: 7776000 → "90d". */
function durationText(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** A parsed set written back as a document that parseFeatureSet reads again. */
export function featureSetDocument(set: FeatureSet): unknown {
  return {
    version: set.version,
    features: set.features.map((f) => {
      const a = f.aggregation;
      const aggregation =
        a.kind === 'decayed_count'
          ? { kind: a.kind, by: a.by, halfLife: durationText(a.halfLifeSeconds), top: a.top }
          : a.kind === 'top_items'
            ? {
                kind: a.kind,
                top: a.top,
                ...(a.halfLifeSeconds !== undefined && { halfLife: durationText(a.halfLifeSeconds) }),
              }
            : a;
      return {
        name: f.name,
        entity: f.entity,
        ...(f.description !== undefined && { description: f.description }),
        events: f.events,
        ...(f.where && { where: f.where }),
        aggregation,
        ttl: durationText(f.ttlSeconds),
        ...(f.staleAfterSeconds !== undefined && { staleAfter: durationText(f.staleAfterSeconds) }),
      };
    }),
  };
}

function parseFeature(raw: unknown, at: string): FeatureDefinition {
  const f = object(raw, at);
  // A misspelt or misplaced key would otherwise be ignored silently, and the feature computed otherwise.
  onlyKeys(f, FEATURE_KEYS, at);
  const name = f['name'];
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new FeatureSetError(
      `${at}.name`,
      'must be "<entity>.<snake_case>" with an entity of user, item, user_category, category or tenant'
    );
  }
  const declared = f['entity'] ?? name.split('.')[0];
  if (!ENTITY_KINDS.includes(declared as EntityKind))
    throw new FeatureSetError(`${at}.entity`, `must be one of ${ENTITY_KINDS.join(', ')}`);
  const entity = declared as EntityKind;
  if (name.split('.')[0] !== entity) throw new FeatureSetError(`${at}.name`, `must start with "${entity}."`);
  const description = f['description'];
  if (description !== undefined && (typeof description !== 'string' || description.length > 1024)) {
    throw new FeatureSetError(`${at}.description`, 'must be a string of at most 1024 characters');
  }
  const aggregation = parseAggregation(f['aggregation'], `${at}.aggregation`, entity);
  const readTime = aggregation.kind === 'ratio';
  const events = f['events'] ?? (readTime ? [] : undefined);
  if (
    !Array.isArray(events) ||
    (!readTime && events.length === 0) ||
    events.some((e) => typeof e !== 'string' || !EVENT_TYPE_PATTERN.test(e))
  ) {
    throw new FeatureSetError(`${at}.events`, 'must be a non-empty array of event types (or "*")');
  }
  const where = f['where'] === undefined ? undefined : parseConditions(f['where'], `${at}.where`);
  const ttlSeconds = f['ttl'] === undefined ? DEFAULT_TTL_SECONDS : parseDuration(f['ttl'], `${at}.ttl`);
  const staleAfterSeconds =
    f['staleAfter'] === undefined ? undefined : parseDuration(f['staleAfter'], `${at}.staleAfter`);
  return {
    name,
    entity: entity,
    ...(description !== undefined && { description: description }),
    events: events as string[],
    ...(where && { where }),
    aggregation,
    ttlSeconds,
    ...(staleAfterSeconds !== undefined && { staleAfterSeconds }),
  };
}

function parseAggregation(raw: unknown, at: string, entity: EntityKind): Aggregation {
  const a = object(raw, at);
  const window = (key = 'window'): WindowName => {
    const value = a[key];
    if (!WINDOW_NAMES.includes(value as WindowName))
      throw new FeatureSetError(`${at}.${key}`, `must be one of ${WINDOW_NAMES.join(', ')}`);
    return value as WindowName;
  };
  const int = (key: string, min: number, max: number, fallback?: number): number => {
    const value = a[key] ?? fallback;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      throw new FeatureSetError(`${at}.${key}`, `must be a whole number from ${min} to ${max}`);
    }
    return value as number;
  };
  const only = (kinds: EntityKind[]): void => {
    if (!kinds.includes(entity))
      throw new FeatureSetError(`${at}.kind`, `"${String(a['kind'])}" applies to ${kinds.join(' or ')} features`);
  };
  const allowed = AGGREGATION_KEYS[String(a['kind'])];
  if (allowed) onlyKeys(a, ['kind', ...allowed], at);
  switch (a['kind']) {
    case 'count':
      return { kind: 'count', window: window() };
    case 'sum': {
      const property = a['property'];
      if (typeof property !== 'string' || !PROPERTY_PATTERN.test(property))
        throw new FeatureSetError(`${at}.property`, 'must name an event property');
      return { kind: 'sum', property, window: window() };
    }
    case 'last_seen':
      return { kind: 'last_seen' };
    case 'last_n':
      only(['user', 'user_category', 'category']);
      return { kind: 'last_n', n: int('n', 1, 500) };
    case 'item_set':
      // A sorted set per user rather than a list in the hash: an event costs O(log n), not O(n), so it can
      // hold a user's whole history (what "seen" means, and the seeds of trained candidates).
      only(['user']);
      return { kind: 'item_set', max: int('max', 1, 5_000, 500) };
    case 'distinct_count': {
      const of = a['of'];
      if (of !== 'item' && of !== 'user') throw new FeatureSetError(`${at}.of`, 'must be "item" or "user"');
      return { kind: 'distinct_count', of, window: window() };
    }
    case 'ratio': {
      const numerator = a['numerator'];
      const denominator = a['denominator'];
      if (typeof numerator !== 'string') throw new FeatureSetError(`${at}.numerator`, 'must name a feature');
      if (typeof denominator !== 'string') throw new FeatureSetError(`${at}.denominator`, 'must name a feature');
      return { kind: 'ratio', numerator, denominator };
    }
    case 'decayed_count':
      only(['user']);
      if (a['by'] !== 'category') throw new FeatureSetError(`${at}.by`, 'must be "category"');
      return {
        kind: 'decayed_count',
        by: 'category',
        halfLifeSeconds: parseDuration(a['halfLife'], `${at}.halfLife`),
        top: int('top', 1, 200, 20),
      };
    case 'top_items':
      only(['tenant', 'category']);
      return {
        kind: 'top_items',
        ...(a['halfLife'] !== undefined && { halfLifeSeconds: parseDuration(a['halfLife'], `${at}.halfLife`) }),
        top: int('top', 1, 100_000, 1000),
      };
    case 'trending': {
      only(['item', 'category']);
      const short = window('short');
      const long = window('long');
      if (short === 'all' || long === 'all')
        throw new FeatureSetError(`${at}.short`, 'trending compares two sliding windows, not "all"');
      const seconds = (w: keyof typeof WINDOWS): number => WINDOWS[w].bucketSeconds * WINDOWS[w].buckets;
      if (seconds(short) >= seconds(long)) throw new FeatureSetError(`${at}.short`, 'must be shorter than long');
      return { kind: 'trending', short, long };
    }
    case 'cooccurrence':
      only(['item']);
      {
        const directed = a['directed'] ?? false;
        if (typeof directed !== 'boolean') throw new FeatureSetError(`${at}.directed`, 'must be true or false');
        // Directed: an item counts for the items the user had just before it ("watched next"), not both ways.
        return { kind: 'cooccurrence', recent: int('recent', 1, 100, 20), top: int('top', 1, 5_000, 300), directed };
      }
    default:
      throw new FeatureSetError(
        `${at}.kind`,
        'must be one of count, sum, last_seen, last_n, item_set, distinct_count, ratio, decayed_count, top_items, trending, cooccurrence'
      );
  }
}

function parseConditions(raw: unknown, at: string): Condition[] {
  if (!Array.isArray(raw) || raw.length > 20)
    throw new FeatureSetError(at, 'must be an array of at most 20 conditions');
  return raw.map((item, i) => {
    const c = object(item, `${at}[${i}]`);
    if (typeof c['path'] !== 'string' || !CONDITION_PATHS.test(c['path'])) {
      throw new FeatureSetError(
        `${at}[${i}].path`,
        'must be "type", "properties.<name>" or a context field such as "context.channel"'
      );
    }
    if (!OPS.includes(c['op'] as ConditionOp))
      throw new FeatureSetError(`${at}[${i}].op`, `must be one of ${OPS.join(', ')}`);
    const op = c['op'] as ConditionOp;
    const value = c['value'];
    const scalar = (v: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof v);
    if (op === 'in' ? !Array.isArray(value) || !value.every(scalar) : op !== 'exists' && !scalar(value)) {
      throw new FeatureSetError(
        `${at}[${i}].value`,
        op === 'in' ? 'must be an array of values' : 'must be a string, number or boolean'
      );
    }
    if (['gt', 'gte', 'lt', 'lte'].includes(op) && typeof value !== 'number') {
      throw new FeatureSetError(`${at}[${i}].value`, 'must be a number for this comparison');
    }
    return { path: c['path'], op, ...(value !== undefined && { value: value as Condition['value'] }) };
  });
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], at: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new FeatureSetError(at ? `${at}.${key}` : key, `is not a known key; expected ${allowed.join(', ')}`);
    }
  }
}

function object(raw: unknown, at: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FeatureSetError(at || '(document)', 'must be a JSON object');
  return raw as Record<string, unknown>;
}
