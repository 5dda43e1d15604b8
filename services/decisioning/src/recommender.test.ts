import { describe, expect, it } from 'vitest';

import {
  diversify,
  FEATURE_NAMES,
  featureRow,
  recommend,
  type CandidateSource,
  type ItemAttributes,
  type Ranker,
  type ScoredItem,
} from './recommender';
import { parseRules } from './rules';

/** An in-memory feature store: popularity per item, co-occurrence per pair, history per user. */
function fakeSource(data: {
  popularity: Record<string, number>;
  cooc: Record<string, Record<string, number>>;
  history: Record<string, string[]>;
  catalog?: Record<string, ItemAttributes>;
  withdrawn?: string[];
  categories?: Record<string, Record<string, number>>;
}): CandidateSource & { reads: number } {
  const sorted = (entries: [string, number][]): ScoredItem[] =>
    entries.sort((a, b) => b[1] - a[1]).map(([itemId, score]) => ({ itemId, score }));
  const source = {
    reads: 0,
    consent: async (_t: string, user: string) => (
      source.reads++,
      data.withdrawn?.includes(user) ? { personalization: false } : {}
    ),
    recentItems: async (_t: string, user: string, limit: number) => (
      source.reads++,
      (data.history[user] ?? []).slice(0, limit)
    ),
    popular: async (_t: string, limit: number) => (
      source.reads++,
      sorted(Object.entries(data.popularity)).slice(0, limit)
    ),
    cooccurring: async (_t: string, items: readonly string[], limit: number) => (
      source.reads++,
      items.map((i) => sorted(Object.entries(data.cooc[i] ?? {})).slice(0, limit))
    ),
    interactions: async (_t: string, items: readonly string[]) => (
      source.reads++,
      items.map((i) => data.popularity[i] ?? null)
    ),
    popularInCategory: async (_t: string, category: string, limit: number) => (
      source.reads++,
      sorted(Object.entries(data.categories?.[category] ?? {})).slice(0, limit)
    ),
    itemAttributes: async (_t: string, items: readonly string[]) => (
      source.reads++,
      items.map((i) => data.catalog?.[i])
    ),
  };
  return source;
}

/** Scores by a visible formula over the feature row, so tests can reason about the order. */
const linearRanker: Ranker = {
  score: async (rows) => {
    const out = new Float32Array(rows.length / FEATURE_NAMES.length);
    for (let i = 0; i < out.length; i++) {
      const [pop, coocSum, hits, conf] = rows.subarray(i * 4, i * 4 + 4);
      out[i] = 0.1 * pop! + coocSum! + hits! + conf!;
    }
    return { scores: out, version: 'test-1' };
  },
};

const data = {
  popularity: { phone: 30, case: 20, charger: 10, bestseller: 90, socks: 10, cable: 3 },
  cooc: { phone: { case: 20, charger: 10, bestseller: 30 }, case: { phone: 20, bestseller: 20 } },
  history: { alice: ['phone'], bob: ['phone', 'case'] },
};

const request = { tenantId: 't', userId: 'alice', decisionId: 'd-1', n: 10, exclude: new Set<string>() };

describe('recommend', () => {
  it('ranks co-occurring items above merely popular ones and explains each', async () => {
    const result = await recommend(request, fakeSource(data), linearRanker);
    const ids = result.items.map((i) => i.itemId);
    expect(ids).not.toContain('phone');
    expect(ids.indexOf('case')).toBeLessThan(ids.indexOf('socks'));
    expect(result.items.find((i) => i.itemId === 'case')!.reasons).toEqual([
      { code: 'co_occurrence', sourceItemId: 'phone' },
      { code: 'popular' },
    ]);
    expect(result.items.find((i) => i.itemId === 'socks')!.reasons).toEqual([{ code: 'popular' }]);
    expect(result).toMatchObject({ personalized: true, modelVersion: 'test-1', rankedBy: 'model' });
  });

  it('reads the feature store in three rounds, whatever the number of candidates', async () => {
    const source = fakeSource(data);
    await recommend(request, source, linearRanker);
    // (consent + history + popular) → (cooccurring + seed popularity) → (candidate popularity + catalog)
    expect(source.reads).toBe(7);
  });

  it('never returns excluded items or the current item, and returns at most n', async () => {
    const result = await recommend(
      { ...request, n: 2, exclude: new Set(['case']), currentItemId: 'charger' },
      fakeSource(data),
      linearRanker
    );
    expect(result.items).toHaveLength(2);
    expect(result.items.map((i) => i.itemId)).not.toContain('case');
    expect(result.items.map((i) => i.itemId)).not.toContain('charger');
  });

  it('never recommends what the catalog says is unavailable or out of stock; unknown items stay in', async () => {
    const catalog = { bestseller: { available: false }, case: { stock: 0 }, charger: { stock: 4, available: true } };
    const result = await recommend(request, fakeSource({ ...data, catalog }), linearRanker);
    const ids = result.items.map((i) => i.itemId);
    expect(ids).not.toContain('bestseller');
    expect(ids).not.toContain('case');
    expect(ids).toContain('charger');
    expect(ids).toContain('socks'); // not in the catalog
  });

  it('uses nothing of the user’s history without consent to personalization', async () => {
    const result = await recommend(request, fakeSource({ ...data, withdrawn: ['alice'] }), linearRanker);
    expect(result).toMatchObject({ personalized: false, consented: false });
    // Alice's phone is neither excluded (that would use her history) nor a seed: popularity decides.
    expect(result.items[0]!.itemId).toBe('bestseller');
    expect(result.items.every((i) => i.reasons.every((r) => r.code === 'popular'))).toBe(true);
  });

  it('puts the page category’s popular items first for a user without history (cold start)', async () => {
    const categories = { audio: { cable: 9, charger: 4 } };
    const result = await recommend(
      { ...request, userId: 'nobody', pageCategory: 'audio' },
      fakeSource({ ...data, categories }),
      linearRanker
    );
    expect(
      result.items
        .slice(0, 2)
        .map((i) => i.itemId)
        .sort()
    ).toEqual(['cable', 'charger']);
    expect(result.items.find((i) => i.itemId === 'cable')!.reasons).toEqual([
      { code: 'popular_in_category', category: 'audio' },
      { code: 'popular' },
    ]);
    // With history, the model's order stands: the category only adds candidates and reasons.
    const known = await recommend(
      { ...request, pageCategory: 'audio' },
      fakeSource({ ...data, categories }),
      linearRanker
    );
    expect(known.items[0]!.itemId).not.toBe('cable');
  });

  it('follows the tenant’s rules: blocked categories, history per surface, at most k per category', async () => {
    const catalog = {
      bestseller: { category: 'tobacco/cigars' },
      case: { category: 'accessories' },
      charger: { category: 'accessories' },
      socks: { category: 'clothes' },
    };
    const source = fakeSource({ ...data, catalog });
    const blocked = await recommend(
      { ...request, rules: parseRules({ blockedCategories: ['tobacco'] }) },
      source,
      linearRanker
    );
    expect(blocked.items.map((i) => i.itemId)).not.toContain('bestseller');

    const diverse = await recommend(
      { ...request, n: 3, rules: parseRules({ maxPerCategory: 1 }) },
      source,
      linearRanker
    );
    const categories = diverse.items.map((i) => catalog[i.itemId as keyof typeof catalog]?.category);
    expect(categories.filter((c) => c === 'accessories')).toHaveLength(1);
    expect(diverse.items).toHaveLength(3);

    const cart = parseRules({ surfaces: { cart: { excludeHistory: false } } });
    const onCart = await recommend({ ...request, surface: 'cart', rules: cart }, source, linearRanker);
    expect(onCart.items.map((i) => i.itemId)).toContain('phone'); // alice viewed it; the cart may show it again
    const onHome = await recommend({ ...request, surface: 'home', rules: cart }, source, linearRanker);
    expect(onHome.items.map((i) => i.itemId)).not.toContain('phone');
  });

  it('fills the list from held-back categories when the others run out', () => {
    const ranked = ['a1', 'a2', 'a3', 'b1'];
    expect(diversify(ranked, 3, 1, (id) => id[0])).toEqual(['a1', 'b1', 'a2']);
    expect(diversify(ranked, 2, 0, (id) => id[0])).toEqual(['a1', 'a2']);
    expect(diversify(ranked, 4, 1, () => undefined)).toEqual(ranked);
  });

  it('serves popular items to a user without history', async () => {
    const result = await recommend({ ...request, userId: 'nobody' }, fakeSource(data), linearRanker);
    expect(result.personalized).toBe(false);
    expect(result.items[0]!.itemId).toBe('bestseller');
  });

  it('falls back to a heuristic order when the model fails, and says so', async () => {
    const failures: unknown[] = [];
    const broken: Ranker = { score: () => Promise.reject(new Error('boom')) };
    const result = await recommend(request, fakeSource(data), broken, (e) => failures.push(e));
    expect(failures).toHaveLength(1);
    expect(result).toMatchObject({ modelVersion: '', rankedBy: 'fallback' });
    expect(result.items[0]!.itemId).toBe('bestseller'); // strongest co-occurrence (30)
  });

  it('is personal only when the user’s own history brought items in, not the current page alone', async () => {
    const onPage = await recommend(
      { ...request, userId: 'nobody', currentItemId: 'phone' },
      fakeSource(data),
      linearRanker
    );
    expect(onPage.items.map((i) => i.itemId)).toContain('case');
    expect(onPage.personalized).toBe(false);
  });

  it('says no model ranked an empty list', async () => {
    const empty = fakeSource({ popularity: {}, cooc: {}, history: {} });
    expect(await recommend(request, empty, linearRanker)).toEqual({
      items: [],
      modelVersion: '',
      rankedBy: 'none',
      personalized: false,
      consented: true,
    });
  });

  it('builds the model row in the declared feature order', () => {
    const row = featureRow({ popularity: Math.E - 1, coocSum: 0, coocHits: 2, coocConfidence: 0.5 }, 4);
    expect(row).toEqual([1, 0, 0.5, 0.5]);
    expect(FEATURE_NAMES).toEqual(['popularity', 'cooc_sum', 'cooc_hits', 'cooc_confidence']);
  });
});
