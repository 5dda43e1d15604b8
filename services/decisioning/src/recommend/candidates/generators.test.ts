import { describe, expect, it } from 'vitest';

import { CategoryAffinity } from './category-affinity';
import { addCoOccurring } from './co-occurrence';
import { coldStartTier } from './cold-start';
import { addNewArrivals, freshness } from './new-arrivals';
import { CandidatePool } from './pool';
import { addPopular, addPopularInCategory } from './popular';
import { addSimilar } from './similar-items';
import { addTrending } from './trending';

const DAY = 86_400_000;
const items = (entries: Record<string, number>) =>
  Object.entries(entries).map(([itemId, score]) => ({ itemId, score }));

describe('candidate generators', () => {
  it('popular: marks the items and keeps their counts; excluded items never get in', () => {
    const pool = new CandidatePool(new Set(['banned']));
    addPopular(pool, items({ a: 30, banned: 20, b: 10 }));
    expect(pool.all().map((c) => [c.itemId, c.popularity, c.popular])).toEqual([
      ['a', 30, true],
      ['b', 10, true],
    ]);
    addPopularInCategory(pool, items({ b: 3, c: 1 }));
    expect(pool.all().map((c) => [c.itemId, c.inPageCategory])).toEqual([
      ['a', false],
      ['b', true],
      ['c', true],
    ]);
  });

  it('trending: shares of the hottest item, nothing from an empty or all-zero list', () => {
    const pool = new CandidatePool(new Set());
    addTrending(pool, items({ hot: 40, warm: 10 }));
    expect(pool.get('hot')!.trending).toBe(1);
    expect(pool.get('warm')!.trending).toBe(0.25);
    const empty = new CandidatePool(new Set());
    addTrending(empty, items({ cold: 0 }));
    addTrending(empty, []);
    expect(empty.all()).toEqual([]);
  });

  it('new arrivals: fresh items only, freshness falling from 1 to 0 over 30 days', () => {
    const now = 100 * DAY;
    expect(freshness(now, now)).toBe(1);
    expect(freshness(now - 15 * DAY, now)).toBeCloseTo(0.5);
    expect(freshness(now - 31 * DAY, now)).toBe(0);
    expect(freshness(undefined, now)).toBe(0);
    expect(freshness(now + DAY, now)).toBe(1); // a clock ahead of ours is not "fresher than new"
    const pool = new CandidatePool(new Set());
    addNewArrivals(pool, items({ today: now, lastWeek: now - 7 * DAY, lastYear: now - 365 * DAY }), now);
    expect(pool.all().map((c) => [c.itemId, c.newArrival])).toEqual([
      ['today', true],
      ['lastWeek', true],
    ]);
  });

  it('co-occurrence: sums over seeds, counts hits, keeps the strongest seed and the best confidence', () => {
    const pool = new CandidatePool(new Set(['s1']));
    const seeds = ['s1', 's2', 'page'];
    addCoOccurring(
      pool,
      seeds,
      [items({ x: 4, y: 1 }), items({ x: 6, s1: 9 }), items({ z: 2 })],
      [8, 10, null],
      new Set(['s1', 's2'])
    );
    const x = pool.get('x')!;
    expect([x.coocSum, x.coocHits, x.coocSeed, x.coocConfidence, x.fromHistory]).toEqual([10, 2, 's2', 0.6, true]);
    expect(pool.get('s1')).toBeUndefined(); // a seed the user saw is excluded
    const z = pool.get('z')!;
    // The page's item is not the user's history; with no count known, confidence is capped at 1.
    expect([z.fromHistory, z.coocConfidence]).toEqual([false, 1]);
  });

  it('similar items: the strongest similarity and its seed', () => {
    const pool = new CandidatePool(new Set());
    addSimilar(pool, ['a', 'b'], [items({ x: 0.3 }), items({ x: 0.7, y: 0.1 })], new Set(['b']));
    expect([pool.get('x')!.similarity, pool.get('x')!.similarSeed, pool.get('x')!.fromHistory]).toEqual([
      0.7,
      'b',
      true,
    ]);
    expect(pool.get('y')!.similarSeed).toBe('b');
  });

  it('category affinity: favourites first, first category found wins, shares of the whole interest', () => {
    const affinity = new CategoryAffinity(items({ shoes: 6, socks: 3, hats: 1 }));
    expect(affinity.favourites(2)).toEqual(['shoes', 'socks']);
    const pool = new CandidatePool(new Set());
    affinity.addPopularIn(pool, ['shoes', 'socks'], [items({ runner: 5 }), items({ runner: 2, wool: 1 })]);
    expect(pool.get('runner')!.affinityCategory).toBe('shoes');
    expect(pool.get('wool')!.affinityCategory).toBe('socks');
    affinity.rate(pool.get('runner')!, 'shoes');
    affinity.rate(pool.get('wool')!, 'unknown');
    expect(pool.get('runner')!.categoryAffinity).toBeCloseTo(0.6);
    expect(pool.get('wool')!.categoryAffinity).toBe(0);
    expect(new CategoryAffinity([]).favourites(3)).toEqual([]);
  });

  it('cold start: the page item’s neighbours, then the page category, then the rest', () => {
    const pool = new CandidatePool(new Set());
    addCoOccurring(pool, ['page'], [items({ bought: 3 })], [5], new Set());
    addSimilar(pool, ['page'], [items({ lookalike: 0.5 })], new Set());
    addPopularInCategory(pool, items({ inCategory: 1 }));
    addPopular(pool, items({ other: 1 }));
    const tiers = pool.all().map((c) => [c.itemId, coldStartTier(c, 'page')]);
    expect(tiers).toEqual([
      ['bought', 0],
      ['lookalike', 0],
      ['inCategory', 1],
      ['other', 2],
    ]);
    expect(coldStartTier(pool.get('bought')!, undefined)).toBe(2);
  });
});

describe('CandidatePool.shortlist', () => {
  it('keeps personal evidence first, then context, then popularity', () => {
    const pool = new CandidatePool(new Set());
    addPopular(pool, items({ top: 1000, second: 900, third: 800 }));
    addPopularInCategory(pool, items({ third: 1 }));
    addCoOccurring(pool, ['seen'], [items({ niche: 2 })], [4], new Set(['seen']));
    expect(pool.shortlist(2, 0.8).map((c) => c.itemId)).toEqual(['niche', 'third']);
    expect(pool.shortlist(3, 0.8).map((c) => c.itemId)).toEqual(['niche', 'third', 'top']);
    expect(pool.shortlist(10, 0.8)).toHaveLength(4);
  });
});
