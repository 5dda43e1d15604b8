import { describe, expect, it } from 'vitest';

import {
  diversify,
  FEATURE_NAMES,
  featureRows,
  recommend,
  type CandidateSource,
  type ItemAttributes,
  type Ranker,
  type RankingModel,
  type ScoredItem,
  type TrainedTables,
} from './recommend';
import { CandidatePool } from './candidates/pool';
import { parseRules } from './rules';

/** An in-memory feature store: popularity per item, co-occurrence per pair, history per user. */
function fakeSource(data: {
  popularity: Record<string, number>;
  cooc: Record<string, Record<string, number>>;
  history: Record<string, string[]>;
  bought?: Record<string, string[]>;
  affinity?: Record<string, Record<string, number>>;
  catalog?: Record<string, ItemAttributes>;
  withdrawn?: string[];
  categories?: Record<string, Record<string, number>>;
  trending?: Record<string, number>;
  newest?: Record<string, number>;
  similar?: Record<string, Record<string, number>>;
}): CandidateSource & { reads: number } {
  const sorted = (entries: [string, number][]): ScoredItem[] =>
    entries.sort((a, b) => b[1] - a[1]).map(([itemId, score]) => ({ itemId, score }));
  const source = {
    reads: 0,
    consent: async (_t: string, user: string) => (
      source.reads++,
      data.withdrawn?.includes(user) ? { personalization: false } : {}
    ),
    userHistory: async (_t: string, user: string) => (
      source.reads++,
      {
        items: data.history[user] ?? [],
        bought: data.bought?.[user] ?? [],
        categories: sorted(Object.entries(data.affinity?.[user] ?? {})),
      }
    ),
    trending: async (_t: string, limit: number) => (
      source.reads++,
      sorted(Object.entries(data.trending ?? {})).slice(0, limit)
    ),
    newArrivals: async (_t: string, limit: number) => (
      source.reads++,
      sorted(Object.entries(data.newest ?? {})).slice(0, limit)
    ),
    similarItems: async (_t: string, items: readonly string[], limit: number) => (
      source.reads++,
      items.map((i) => sorted(Object.entries(data.similar?.[i] ?? {})).slice(0, limit))
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

/** A ranker serving one model, with no trained tables unless given. */
const rankerOf = (model: RankingModel['score'], tables: TrainedTables = {}): Ranker => ({
  serve: (_call, work) => work({ tables, score: model }),
});

/** Scores by a visible formula over the feature row, so tests can reason about the order. */
const linearRanker: Ranker = rankerOf(async (rows) => {
  const out = new Float32Array(rows.length / FEATURE_NAMES.length);
  for (let i = 0; i < out.length; i++) {
    const w = FEATURE_NAMES.length;
    const [pop, coocSum, hits, conf] = rows.subarray(i * w, i * w + 4);
    out[i] = 0.1 * pop! + coocSum! + hits! + conf!;
  }
  return { scores: out, version: 'test-1' };
});

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
    // (consent, history, popular, trending, new) → (co-occurring, similar, seed popularity; one read per
    // favourite category) → (candidate popularity, catalog)
    expect(source.reads).toBe(10);
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
    expect(blocked.items).not.toEqual([]);
    expect(blocked.items.map((i) => i.itemId)).not.toContain('bestseller');

    const diverse = await recommend(
      { ...request, n: 3, rules: parseRules({ maxPerCategory: 1 }) },
      source,
      linearRanker
    );
    const categories = diverse.items.map((i) => catalog[i.itemId as keyof typeof catalog]?.category);
    expect(categories.filter((c) => c === 'accessories')).toHaveLength(1);
    expect(diverse.items).toHaveLength(3);
  });

  it('leaves out what the surface wants left out: seen (default), only bought, or nothing', async () => {
    // Alice viewed the phone and the case, and bought the case.
    const source = fakeSource({ ...data, history: { alice: ['phone', 'case'] }, bought: { alice: ['case'] } });
    const rules = parseRules({ surfaces: { viewed: { exclude: 'bought' }, reorder: { exclude: 'nothing' } } });
    const ids = async (surface: string): Promise<string[]> =>
      (await recommend({ ...request, surface, rules }, source, linearRanker)).items.map((i) => i.itemId);
    const home = await ids('home');
    expect(home).not.toEqual([]);
    expect(home).not.toContain('phone');
    expect(home).not.toContain('case');
    const viewed = await ids('viewed');
    expect(viewed).toContain('phone');
    expect(viewed).not.toContain('case');
    expect(await ids('reorder')).toEqual(expect.arrayContaining(['phone', 'case']));
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
    const broken = rankerOf(() => Promise.reject(new Error('boom')));
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

  it('brings in trending, new, similar and favourite-category items, each with its reason', async () => {
    const nowMs = Date.parse('2026-11-01T00:00:00Z');
    const result = await recommend(
      { ...request, nowMs, n: 20 },
      fakeSource({
        ...data,
        trending: { hot: 50, bestseller: 10 },
        newest: { fresh: nowMs - 86_400_000, stale: nowMs - 90 * 86_400_000 },
        similar: { phone: { lookalike: 0.8 } },
        affinity: { alice: { audio: 5, books: 1 } },
        categories: { audio: { headphones: 3 } },
        catalog: { headphones: { category: 'audio' }, case: { category: 'audio' } },
      }),
      linearRanker
    );
    const reasonsOf = (id: string) => result.items.find((i) => i.itemId === id)?.reasons;
    expect(reasonsOf('hot')).toEqual([{ code: 'trending' }]);
    expect(reasonsOf('fresh')).toEqual([{ code: 'new_arrival' }]);
    expect(reasonsOf('stale')).toBeUndefined(); // 90 days old is not new
    expect(reasonsOf('lookalike')).toEqual([{ code: 'similar', sourceItemId: 'phone' }]);
    expect(reasonsOf('headphones')).toEqual([{ code: 'category_affinity', category: 'audio' }]);
    // The model sees each signal in its column.
    const features = (id: string) => result.items.find((i) => i.itemId === id)!.features;
    const column = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);
    expect(features('hot')[column('trending')]).toBe(1);
    expect(features('bestseller')[column('trending')]).toBeCloseTo(0.2);
    expect(features('fresh')[column('freshness')]).toBeCloseTo(1 - 1 / 30, 5);
    expect(features('lookalike')[column('similarity')]).toBeCloseTo(0.8, 5);
    expect(features('headphones')[column('category_affinity')]).toBeCloseTo(5 / 6, 5);
    expect(features('case')[column('category_affinity')]).toBeCloseTo(5 / 6, 5);
  });

  it('for a user without history, puts what goes with the page’s item first', async () => {
    const result = await recommend(
      { ...request, userId: 'nobody', currentItemId: 'case' },
      fakeSource({ ...data, similar: { case: { cable: 0.9 } } }),
      linearRanker
    );
    // case co-occurs with phone and bestseller, and is similar to cable: those three lead, in model order.
    expect(
      result.items
        .slice(0, 3)
        .map((i) => i.itemId)
        .sort()
    ).toEqual(['bestseller', 'cable', 'phone']);
  });

  it('builds the model row in the declared feature order', () => {
    const pool = new CandidatePool(new Set());
    const c = pool.add('x')!;
    Object.assign(c, { popularity: Math.E - 1, coocHits: 2, coocConfidence: 0.5, similarity: 0.3, trending: 0.2 });
    Object.assign(c, { categoryAffinity: 0.1, freshness: 0.9, ease: 1.5, knn: -0.25 });
    expect(featureRows([c, c], 4)).toEqual(
      Float32Array.from([
        1, 0, 0.5, 0.5, 0.3, 0.2, 0.1, 0.9, 1.5, -0.25, 1, 0, 0.5, 0.5, 0.3, 0.2, 0.1, 0.9, 1.5, -0.25,
      ])
    );
    expect(FEATURE_NAMES).toEqual([
      'popularity',
      'cooc_sum',
      'cooc_hits',
      'cooc_confidence',
      'similarity',
      'trending',
      'category_affinity',
      'freshness',
      'ease',
      'knn',
    ]);
  });
});
