/**
 * The feature store's benchmark workload, shared by the `features` and `feature-memory` suites: a seeded
 * synthetic shop (users with a favourite category, items in categories with a popularity skew, a mix of
 * views, impressions, clicks, add-to-carts and purchases spread over the last 30 days, more of them
 * recent), written into Redis through the real FeatureWriter (the apply script), many events in flight.
 */
import { spawn } from 'node:child_process';

import type { Redis } from 'ioredis';

import {
  compileFeatureSet,
  DEFAULT_FEATURES,
  FeatureWriter,
  parseFeatureSet,
  type FeatureEvent,
  type FeatureSet,
} from '@dmp/features';
import type { Event } from '@dmp/grpc';
import { prng } from '@dmp/demo-data';

export interface Workload {
  seed: number;
  users: number;
  items: number;
  categories: number;
  events: number;
  /** Events spread over this many days before now. */
  days: number;
}

export const DEFAULT_WORKLOAD: Workload = {
  seed: 11,
  users: 20_000,
  items: 5_000,
  categories: 40,
  events: 200_000,
  days: 30,
};

export const TENANT = 'shop';
/** The active build of a fresh tenant. */
export const BUILD = 'b1';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
export const userId = (i: number): string => `u-${pad(i, 6)}`;
export const itemId = (i: number): string => `sku-${pad(i, 6)}`;
export const categoryOfItem = (i: number, categories: number): string => `cat-${pad(i % categories, 3)}`;

/** Event types and their shares. */
const TYPES: readonly [FeatureEvent['type'], number][] = [
  ['view', 0.55],
  ['impression', 0.2],
  ['click', 0.07],
  ['add_to_cart', 0.11],
  ['purchase', 0.07],
];

/** The workload from environment overrides (BENCH_USERS, BENCH_ITEMS, BENCH_EVENTS). */
export function workloadFromEnv(): Workload {
  const read = (name: string, fallback: number): number => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    return value;
  };
  return {
    ...DEFAULT_WORKLOAD,
    users: read('BENCH_USERS', DEFAULT_WORKLOAD.users),
    items: read('BENCH_ITEMS', DEFAULT_WORKLOAD.items),
    events: read('BENCH_EVENTS', DEFAULT_WORKLOAD.events),
  };
}

/** A UUID-shaped event id (36 characters, as clients send them), drawn from `random`. */
function uuid(random: () => number): string {
  let hex = '';
  for (let i = 0; i < 4; i++)
    hex += Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Draws events: users by a skewed activity (a few users are much more active), each mostly in a
 * favourite category; items by popularity within their category; times skewed towards now.
 */
export class WorkloadEvents {
  private readonly random: () => number;
  private readonly byCategory: number[][];
  private n = 0;

  constructor(
    private readonly w: Workload,
    private readonly nowMs: number,
    seed = w.seed
  ) {
    this.random = prng(seed);
    this.byCategory = Array.from({ length: w.categories }, () => []);
    for (let i = 0; i < w.items; i++) this.byCategory[i % w.categories]!.push(i);
  }

  /** A user index, skewed: the lowest indexes are the most active. */
  user(): number {
    return Math.floor(this.w.users * this.random() ** 2);
  }

  private item(user: number): number {
    const favourite = (user * 7) % this.w.categories;
    const category =
      this.random() < 0.7 ? favourite : Math.floor(this.w.categories * this.random() ** 1.5) % this.w.categories;
    const items = this.byCategory[category]!;
    return items[Math.floor(items.length * this.random() ** 3)]!;
  }

  /** The next event; `occurredAtMs` overrides its time (e.g. now, for live traffic). */
  next(occurredAtMs?: number): FeatureEvent {
    const r = this.random();
    let type: string = TYPES[0]![0];
    for (let acc = 0, i = 0; i < TYPES.length; i++) {
      acc += TYPES[i]![1];
      if (r < acc) {
        type = TYPES[i]![0];
        break;
      }
    }
    const user = this.user();
    const first = this.item(user);
    const items = [first];
    if (type === 'purchase' && this.random() < 0.3) items.push(this.item(user));
    const properties: Record<string, string | number> = { category: categoryOfItem(first, this.w.categories) };
    if (type === 'purchase') properties['revenue'] = Math.round(this.random() * 500_000) / 100;
    const ageMs = Math.floor(this.w.days * 86_400_000 * this.random() ** 1.6);
    return {
      tenantId: TENANT,
      eventId: uuid(this.random),
      type,
      subject: userId(user),
      identifiers: [userId(user)],
      itemIds: [...new Set(items.map(itemId))],
      occurredAtMs: occurredAtMs ?? this.nowMs - ageMs - 1,
      properties,
      context: { 'context.channel': this.n++ % 3 === 0 ? 'web' : 'app' },
    };
  }
}

/** The event as a client sends it to intake's Ingest. */
export function toClientEvent(event: FeatureEvent): Event {
  const properties: NonNullable<Event['properties']> = {};
  for (const [name, value] of Object.entries(event.properties)) {
    properties[name] = typeof value === 'number' ? { numberValue: value } : { stringValue: String(value) };
  }
  return {
    eventId: event.eventId,
    type: event.type,
    identities: { userId: event.subject },
    itemIds: [...event.itemIds],
    properties,
    context: { channel: event.context['context.channel'] ?? 'app' },
    occurredAt: {
      seconds: String(Math.floor(event.occurredAtMs / 1000)),
      nanos: (event.occurredAtMs % 1000) * 1e6,
    },
  };
}

/**
 * The bench tenant's own features on top of the defaults: the numeric features a ranking model reads,
 * so that GetFeatures asks for 20 features of a kind (the defaults have 13 user and 12 item features).
 */
export const BENCH_TENANT_FEATURES: FeatureSet = parseFeatureSet(
  {
    version: 1,
    features: [
      { name: 'user.add_to_cart_7d', events: ['add_to_cart'], aggregation: { kind: 'count', window: '7d' } },
      { name: 'user.purchases_7d', events: ['purchase'], aggregation: { kind: 'count', window: '7d' } },
      { name: 'user.views_30d', events: ['view'], aggregation: { kind: 'count', window: '30d' } },
      { name: 'user.clicks_24h', events: ['click'], aggregation: { kind: 'count', window: '24h' } },
      { name: 'user.impressions_24h', events: ['impression'], aggregation: { kind: 'count', window: '24h' } },
      {
        name: 'user.ctr_24h',
        aggregation: { kind: 'ratio', numerator: 'user.clicks_24h', denominator: 'user.impressions_24h' },
      },
      {
        name: 'user.revenue_7d',
        events: ['purchase'],
        aggregation: { kind: 'sum', property: 'revenue', window: '7d' },
      },
      { name: 'item.views_1h', events: ['view'], aggregation: { kind: 'count', window: '1h' } },
      { name: 'item.views_24h', events: ['view'], aggregation: { kind: 'count', window: '24h' } },
      { name: 'item.add_to_cart_7d', events: ['add_to_cart'], aggregation: { kind: 'count', window: '7d' } },
      { name: 'item.purchases_30d', events: ['purchase'], aggregation: { kind: 'count', window: '30d' } },
      {
        name: 'item.revenue_30d',
        events: ['purchase'],
        aggregation: { kind: 'sum', property: 'revenue', window: '30d' },
      },
      { name: 'item.clicks_24h', events: ['click'], aggregation: { kind: 'count', window: '24h' } },
      { name: 'item.impressions_24h', events: ['impression'], aggregation: { kind: 'count', window: '24h' } },
      {
        name: 'item.ctr_24h',
        aggregation: { kind: 'ratio', numerator: 'item.clicks_24h', denominator: 'item.impressions_24h' },
      },
    ],
  },
  DEFAULT_FEATURES.features
);

/** Every feature the bench tenant has: the defaults and its own. */
export const BENCH_FEATURES: FeatureSet = {
  version: BENCH_TENANT_FEATURES.version,
  features: [...DEFAULT_FEATURES.features, ...BENCH_TENANT_FEATURES.features],
};

export interface SeedResult {
  events: number;
  applied: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Applies the workload's events to `build` of the tenant with the real FeatureWriter and `features`
 * (by default the bench tenant's: the defaults and its own), `inFlight` scripts at a time (ioredis pipelines the concurrent calls).
 */
export async function seed(
  connections: readonly Redis[],
  w: Workload,
  options: {
    build?: string;
    features?: FeatureSet;
    inFlight?: number;
    nowMs?: number;
    onProgress?: (done: number) => void;
  } = {}
): Promise<SeedResult> {
  // Several connections: while Redis runs one connection's scripts, the next batch is encoded for another.
  const writers = connections.map((redis) => new FeatureWriter(redis));
  const target = { build: options.build ?? BUILD, features: compileFeatureSet(options.features ?? BENCH_FEATURES) };
  const events = new WorkloadEvents(w, options.nowMs ?? Date.now());
  const started = performance.now();
  let next = 0;
  let applied = 0;
  const worker = async (_: unknown, i: number): Promise<void> => {
    const writer = writers[i % writers.length]!;
    while (next < w.events) {
      const n = next++;
      // No stream position: each event is applied once here, and the watermarks stay the live consumer's.
      if ((await writer.apply(events.next(), target)) === 'applied') applied++;
      if (n % 20_000 === 0) options.onProgress?.(n);
    }
  };
  await Promise.all(Array.from({ length: options.inFlight ?? 256 }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { events: w.events, applied, seconds, eventsPerSecond: w.events / seconds };
}

/**
 * How many cores' worth of CPU the machine gives right now: the work two busy processes do together
 * over what one does alone, ~1 s each (2.0 on two idle cores; less when a neighbour shares the host).
 * Recorded with the results, since figures measured on a shared host are only comparable at equal capacity.
 */
export async function parallelCapacity(ms = 1_000): Promise<number> {
  const spin = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const code = `const end = Date.now() + ${ms}; let n = 0; while (Date.now() < end) n++; process.stdout.write(String(n));`;
      const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (status) =>
        status === 0 ? resolve(Number(out)) : reject(new Error(`spin exited ${status}`))
      );
    });
  const alone = await spin();
  const [a, b] = await Promise.all([spin(), spin()]);
  return Number(((a + b) / alone).toFixed(2));
}
