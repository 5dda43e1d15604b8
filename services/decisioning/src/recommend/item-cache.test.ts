import { describe, expect, it } from 'vitest';

import { CachedCandidateSource } from './item-cache';
import type { CandidateSource } from './recommend';

function countingSource(): CandidateSource & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    consent: async () => ({}),
    popularInCategory: async (_t, category) => (asked.push(['category', category]), [{ itemId: 'c', score: 1 }]),
    userHistory: async (_t, user) => (asked.push(['history', user]), { items: ['x'], bought: [], categories: [] }),
    popular: async () => (asked.push(['popular']), [{ itemId: 'p', score: 1 }]),
    trending: async () => (asked.push(['trending']), [{ itemId: 'h', score: 1 }]),
    newArrivals: async () => (asked.push(['new']), [{ itemId: 'n', score: 1 }]),
    similarItems: async (_t, items) => (
      asked.push(['similar', ...items]),
      items.map((i) => [{ itemId: `${i}-s`, score: 0.5 }])
    ),
    cooccurring: async (_t, items) => (
      asked.push(['cooc', ...items]),
      items.map((i) => [{ itemId: `${i}-n`, score: 1 }])
    ),
    interactions: async (_t, items) => (
      asked.push(['count', ...items]),
      items.map((i) => (i === 'unknown' ? null : 5))
    ),
    itemAttributes: async (_t, items) => (
      asked.push(['attributes', ...items]),
      items.map((i) => (i === 'gone' ? { available: false } : undefined))
    ),
  };
}

describe('CachedCandidateSource', () => {
  it('caches the catalog’s attributes per item, unknown items included', async () => {
    const source = countingSource();
    const cache = new CachedCandidateSource(source, 1_000, 100, () => 0);
    expect(await cache.itemAttributes('t', ['gone', 'new'])).toEqual([{ available: false }, undefined]);
    expect(await cache.itemAttributes('t', ['new', 'gone', 'other'])).toEqual([
      undefined,
      { available: false },
      undefined,
    ]);
    expect(source.asked).toEqual([
      ['attributes', 'gone', 'new'],
      ['attributes', 'other'],
    ]);
  });

  it('fetches only what is not cached, keeps the order, and never caches a user’s history', async () => {
    const now = 0;
    const source = countingSource();
    const cache = new CachedCandidateSource(source, 1_000, 100, () => now);
    expect(await cache.cooccurring('t', ['a', 'b'], 10)).toEqual([
      [{ itemId: 'a-n', score: 1 }],
      [{ itemId: 'b-n', score: 1 }],
    ]);
    expect(await cache.cooccurring('t', ['c', 'a', 'b'], 10)).toEqual([
      [{ itemId: 'c-n', score: 1 }],
      [{ itemId: 'a-n', score: 1 }],
      [{ itemId: 'b-n', score: 1 }],
    ]);
    expect(await cache.interactions('t', ['unknown', 'a'])).toEqual([null, 5]);
    expect(await cache.interactions('t', ['unknown', 'a'])).toEqual([null, 5]);
    await cache.popular('t', 100);
    await cache.popular('t', 100);
    await cache.trending('t', 20);
    await cache.trending('t', 20);
    await cache.newArrivals('t', 20);
    await cache.newArrivals('t', 20);
    expect(await cache.similarItems('t', ['a'], 10)).toEqual([[{ itemId: 'a-s', score: 0.5 }]]);
    expect(await cache.similarItems('t', ['b', 'a'], 10)).toEqual([
      [{ itemId: 'b-s', score: 0.5 }],
      [{ itemId: 'a-s', score: 0.5 }],
    ]);
    await cache.userHistory('t', 'u');
    await cache.userHistory('t', 'u');
    expect(source.asked).toEqual([
      ['cooc', 'a', 'b'],
      ['cooc', 'c'],
      ['count', 'unknown', 'a'],
      ['popular'],
      ['trending'],
      ['new'],
      ['similar', 'a'],
      ['similar', 'b'],
      ['history', 'u'],
      ['history', 'u'],
    ]);
  });

  it('forgets entries after the TTL and keeps within its size', async () => {
    let now = 0;
    const source = countingSource();
    const cache = new CachedCandidateSource(source, 1_000, 2, () => now);
    await cache.popular('t', 100);
    now = 1_001;
    await cache.popular('t', 100);
    await cache.interactions('t', ['a', 'b', 'c']); // the cache holds 2: the oldest entries go
    await cache.interactions('t', ['c']);
    await cache.interactions('t', ['a']); // the oldest, gone: asked again
    expect(source.asked.filter((a) => a[0] === 'popular')).toHaveLength(2);
    expect(source.asked.slice(-2)).toEqual([
      ['count', 'a', 'b', 'c'],
      ['count', 'a'],
    ]);
  });

  it('keeps tenants apart', async () => {
    const source = countingSource();
    const cache = new CachedCandidateSource(source, 1_000);
    await cache.interactions('t1', ['a']);
    await cache.interactions('t2', ['a']);
    expect(source.asked).toEqual([
      ['count', 'a'],
      ['count', 'a'],
    ]);
  });
});
