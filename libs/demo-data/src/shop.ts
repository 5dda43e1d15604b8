/**
 * A seeded synthetic shop: a catalog of items in categories, users with favourite categories, and
 * browsing sessions with popularity skew, category loyalty, add-to-carts and repeat purchases. The same
 * seed always gives the same events, with the same event ids, so loading them again within the dedupe
 * horizon (24 h in the feature store) changes nothing.
 */
export interface DemoOptions {
  seed: number;
  users: number;
  items: number;
  categories: number;
  events: number;
  /** Time of the last event; earlier ones spread over the week before it. */
  endMs: number;
}

export interface DemoItem {
  itemId: string;
  category: string;
}

export interface DemoEvent {
  eventId: string;
  type: 'view' | 'add_to_cart' | 'purchase' | 'play_start' | 'play_complete';
  userId: string;
  itemIds: string[];
  /** The category of the (first) item, when known. */
  category?: string;
  occurredAtMs: number;
}

export const DEFAULT_DEMO: Omit<DemoOptions, 'endMs'> = {
  seed: 42,
  users: 500,
  items: 300,
  categories: 12,
  events: 20_000,
};

/** mulberry32: a small, fast, seedable PRNG; good enough for synthetic data. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zipfTables = new Map<string, Float64Array>();

/**
 * Index in [0, n) drawn with probability proportional to 1/(rank+1)^s: a few items get most traffic.
 * Cumulative weights are computed once per (n, s) and searched, so catalogs of 100k items stay fast.
 */
export function zipf(random: () => number, n: number, s = 1.1): number {
  const key = `${n}:${s}`;
  let cdf = zipfTables.get(key);
  if (!cdf) {
    cdf = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) cdf[i] = total += 1 / (i + 1) ** s;
    zipfTables.set(key, cdf);
  }
  const r = random() * cdf[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function demoCatalog(options: Pick<DemoOptions, 'items' | 'categories'>): DemoItem[] {
  return Array.from({ length: options.items }, (_, i) => ({
    itemId: `sku-${pad(i + 1, 4)}`,
    category: `cat-${pad((i % options.categories) + 1, 2)}`,
  }));
}

export function* demoEvents(options: DemoOptions): Generator<DemoEvent> {
  const random = prng(options.seed);
  const catalog = demoCatalog(options);
  const byCategory = new Map<string, DemoItem[]>();
  for (const item of catalog) byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item]);
  const categories = [...byCategory.keys()];
  const categoryOf = new Map(catalog.map((item) => [item.itemId, item.category]));
  const favourites = Array.from({ length: options.users }, () => [
    categories[zipf(random, categories.length, 0.8)]!,
    categories[Math.floor(random() * categories.length)]!,
  ]);
  const purchases = new Map<number, string[]>();
  const weekMs = 7 * 24 * 3_600_000;

  let produced = 0;
  while (produced < options.events) {
    const user = zipf(random, options.users, 0.6);
    const userId = `u-${pad(user + 1, 4)}`;
    const loyal = random() < 0.8;
    const category = loyal
      ? favourites[user]![random() < 0.7 ? 0 : 1]!
      : categories[Math.floor(random() * categories.length)]!;
    const items = byCategory.get(category)!;
    let time = options.endMs - Math.floor(random() * weekMs);
    const emit = (type: DemoEvent['type'], itemIds: string[]): DemoEvent => {
      produced++;
      time += 5_000 + Math.floor(random() * 60_000);
      return {
        eventId: `demo-${options.seed}-${produced}`,
        type,
        userId,
        itemIds,
        category: categoryOf.get(itemIds[0]!)!,
        occurredAtMs: Math.min(time, options.endMs),
      };
    };
    // Repeat purchase of something bought before (consumables).
    const bought = purchases.get(user);
    if (bought && random() < 0.1 && produced < options.events) {
      yield emit('purchase', [bought[Math.floor(random() * bought.length)]!]);
      continue;
    }
    const views = 2 + Math.floor(random() * 5);
    const cart: string[] = [];
    for (let v = 0; v < views && produced < options.events; v++) {
      const item = items[zipf(random, items.length)]!.itemId;
      yield emit('view', [item]);
      if (random() < 0.15 && produced < options.events) {
        cart.push(item);
        yield emit('add_to_cart', [item]);
      }
    }
    if (cart.length > 0 && random() < 0.5 && produced < options.events) {
      purchases.set(user, [...(bought ?? []), ...cart]);
      yield emit('purchase', cart);
    }
  }
}
