import { Counter } from 'prom-client';

import { metricsRegistry } from '@dmp/telemetry';

import type { CandidateSource, ItemAttributes, ScoredItem, UserConsent, UserHistory } from './recommend';

const lookups = new Counter({
  name: 'decisioning_item_cache_lookups_total',
  help: 'Item-level feature lookups served from the in-process cache (hit) or from Redis (miss).',
  labelNames: ['result'],
  registers: [metricsRegistry],
});
// Bound once: a labelled inc() per lookup showed up in profiles.
const hits = lookups.labels({ result: 'hit' });
const misses = lookups.labels({ result: 'miss' });

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * Item-level reads (the popular list, an item's co-occurring items, its interaction count) change
 * slowly and are the same for every user, so they are kept in process for `ttlMs`: most Recommend calls
 * then need one small Redis read, the user's own history, which is never cached so that what the user
 * just did is always excluded. Measured: parsing Redis replies, not Redis itself, was the cost of a call.
 */
export class CachedCandidateSource implements CandidateSource {
  /** One table per kind of read and tenant (e.g. "i|shop|"), keyed by item id: no key strings to build per lookup. */
  private readonly tables = new Map<string, Map<string, Entry<unknown>>>();

  constructor(
    private readonly source: CandidateSource,
    private readonly ttlMs: number,
    private readonly maxEntries = 200_000,
    private readonly now: () => number = Date.now
  ) {}

  /** Never cached: a withdrawal must take effect at once. */
  consent(tenantId: string, userId: string): Promise<UserConsent> {
    return this.source.consent(tenantId, userId);
  }

  /** Never cached: what the user just did must count at once. */
  userHistory(tenantId: string, userId: string): Promise<UserHistory> {
    return this.source.userHistory(tenantId, userId);
  }

  popular(tenantId: string, limit: number): Promise<ScoredItem[]> {
    return this.list(`p|${tenantId}|${limit}`, () => this.source.popular(tenantId, limit));
  }

  trending(tenantId: string, limit: number): Promise<ScoredItem[]> {
    return this.list(`t|${tenantId}|${limit}`, () => this.source.trending(tenantId, limit));
  }

  newArrivals(tenantId: string, limit: number): Promise<ScoredItem[]> {
    return this.list(`n|${tenantId}|${limit}`, () => this.source.newArrivals(tenantId, limit));
  }

  popularInCategory(tenantId: string, category: string, limit: number): Promise<ScoredItem[]> {
    return this.list(`pc|${tenantId}|${limit}|${category}`, () =>
      this.source.popularInCategory(tenantId, category, limit)
    );
  }

  similarItems(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    return this.perItem(`s|${tenantId}|${limitEach}|`, itemIds, (missing) =>
      this.source.similarItems(tenantId, missing, limitEach)
    );
  }

  cooccurring(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    return this.perItem(`c|${tenantId}|${limitEach}|`, itemIds, (missing) =>
      this.source.cooccurring(tenantId, missing, limitEach)
    );
  }

  interactions(tenantId: string, itemIds: readonly string[]): Promise<(number | null)[]> {
    return this.perItem(`i|${tenantId}|`, itemIds, (missing) => this.source.interactions(tenantId, missing));
  }

  /** Attributes change with stock: cached like the rest, for `ttlMs` at most (seconds, by default). */
  itemAttributes(tenantId: string, itemIds: readonly string[]): Promise<(ItemAttributes | undefined)[]> {
    return this.perItem(`a|${tenantId}|`, itemIds, (missing) => this.source.itemAttributes(tenantId, missing));
  }

  /** A tenant-wide list: served from the cache, or read and kept. */
  private async list(key: string, fetch: () => Promise<ScoredItem[]>): Promise<ScoredItem[]> {
    const hit = this.get<ScoredItem[]>(key);
    (hit ? hits : misses).inc();
    if (hit) return hit.value;
    const value = await fetch();
    this.set(key, value);
    return value;
  }

  /** Serves what is cached and fetches the rest in one call, keeping the order of `itemIds`. */
  private async perItem<T>(
    prefix: string,
    itemIds: readonly string[],
    fetch: (missing: string[]) => Promise<T[]>
  ): Promise<T[]> {
    // A hundred lookups per call: one clock read and one table for all of them.
    const now = this.now();
    const table = this.table(prefix);
    const results = new Array<T>(itemIds.length);
    const missing: number[] = [];
    for (let i = 0; i < itemIds.length; i++) {
      const entry = table.get(itemIds[i]!);
      if (entry !== undefined && entry.expiresAt > now) results[i] = entry.value as T;
      else missing.push(i);
    }
    hits.inc(itemIds.length - missing.length);
    misses.inc(missing.length);
    if (missing.length > 0) {
      const fetched = await fetch(missing.map((i) => itemIds[i]!));
      const expiresAt = this.now() + this.ttlMs;
      missing.forEach((i, j) => {
        results[i] = fetched[j]!;
        this.store(table, itemIds[i]!, fetched[j]!, expiresAt);
      });
    }
    return results;
  }

  private get<T>(key: string): Entry<T> | undefined {
    const entry = this.table('').get(key) as Entry<T> | undefined;
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }

  private set(key: string, value: unknown): void {
    this.store(this.table(''), key, value, this.now() + this.ttlMs);
  }

  private table(prefix: string): Map<string, Entry<unknown>> {
    let table = this.tables.get(prefix);
    if (!table) this.tables.set(prefix, (table = new Map<string, Entry<unknown>>()));
    return table;
  }

  private store(table: Map<string, Entry<unknown>>, key: string, value: unknown, expiresAt: number): void {
    // Re-inserting moves the key to the end, so the first key is always the oldest: evict from the front.
    table.delete(key);
    table.set(key, { value, expiresAt });
    if (table.size > this.maxEntries) table.delete(table.keys().next().value!);
  }
}
