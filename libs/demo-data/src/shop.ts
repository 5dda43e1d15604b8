/**
 * A seeded synthetic shop: a catalog of items in categories, users with favourite categories, and
 * browsing sessions with add-to-carts and repeat purchases. The same seed always gives the same events,
 * with the same event ids, so loading them again within the dedupe horizon (24 h in the feature store)
 * changes nothing.
 *
 * It is made hard enough that the simple answers lose: popularity is long-tailed within each category;
 * each category holds a few styles and each user prefers one style in each of their categories (taste that
 * only the users' co-occurrences reveal, not popularity or the category); and most items arrive during the
 * week and their appeal then halves every few days, so what was popular is not what is popular.
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

/** Styles per category: each user prefers one in each of their favourite categories. */
const STYLES = 3;
/** Share of items that arrive during the week (the rest were there before it). */
const NEW_SHARE = 0.4;
/** An item's appeal halves every this long after it arrives. */
const APPEAL_HALF_LIFE_MS = 2 * 24 * 3_600_000;

export function* demoEvents(options: DemoOptions): Generator<DemoEvent> {
  const random = prng(options.seed);
  const catalog = demoCatalog(options);
  const weekMs = 7 * 24 * 3_600_000;
  const startMs = options.endMs - weekMs;
  // Per item: its style within its category, and when it arrived (before the week for the old ones).
  const styleOf = new Map<string, number>();
  const arrivalOf = new Map<string, number>();
  for (const item of catalog) {
    styleOf.set(item.itemId, Math.floor(random() * STYLES));
    arrivalOf.set(item.itemId, random() < NEW_SHARE ? startMs + random() * weekMs : startMs - weekMs);
  }
  // Each list in a random order (a popularity rank unrelated to the item's number), long-tailed by zipf.
  const shuffled = <T>(list: T[]): T[] => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };
  const byCategory = new Map<string, DemoItem[]>();
  for (const item of catalog) byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item]);
  for (const items of byCategory.values()) shuffled(items);
  const byStyle = new Map<string, DemoItem[]>();
  for (const [category, items] of byCategory) {
    for (const item of items) {
      const key = `${category}/${styleOf.get(item.itemId)}`;
      byStyle.set(key, [...(byStyle.get(key) ?? []), item]);
    }
  }
  const categories = [...byCategory.keys()];
  const categoryOf = new Map(catalog.map((item) => [item.itemId, item.category]));
  const favourites = Array.from({ length: options.users }, () => [
    categories[zipf(random, categories.length, 0.8)]!,
    categories[Math.floor(random() * categories.length)]!,
  ]);
  const styles = Array.from({ length: options.users }, () => [
    Math.floor(random() * STYLES),
    Math.floor(random() * STYLES),
  ]);
  /** An item of the list by long-tailed popularity, among those arrived by `atMs`, by their appeal then. */
  const pick = (items: DemoItem[], atMs: number): DemoItem => {
    let chosen = items[zipf(random, items.length, 1.2)]!;
    for (let attempt = 0; attempt < 8; attempt++) {
      const arrived = arrivalOf.get(chosen.itemId)!;
      const appeal = arrived > atMs ? 0 : arrived < startMs ? 0.5 : 2 ** (-(atMs - arrived) / APPEAL_HALF_LIFE_MS);
      if (random() < appeal) break;
      chosen = items[zipf(random, items.length, 1.2)]!;
    }
    return chosen;
  };
  const purchases = new Map<number, string[]>();

  let produced = 0;
  while (produced < options.events) {
    const user = zipf(random, options.users, 0.6);
    const userId = `u-${pad(user + 1, 4)}`;
    const loyal = random() < 0.8;
    const favourite = random() < 0.7 ? 0 : 1;
    const category = loyal ? favourites[user]![favourite]! : categories[Math.floor(random() * categories.length)]!;
    // In a favourite category, mostly the user's own style (when the category has items of it).
    const ownStyle = byStyle.get(`${category}/${styles[user]![favourite]}`);
    const items = loyal && ownStyle && random() < 0.75 ? ownStyle : byCategory.get(category)!;
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
      const item = pick(items, time).itemId;
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
