import { describe, expect, it } from 'vitest';

import { continuation, nextContent, type ContentAttributes, type ContentSource } from './next-content';
import type { ScoredItem } from './recommend';

/** A streaming service in memory: one series of 2 seasons, a film, viewers' histories. */
function fakeSource(data: {
  recent: Record<string, string[]>;
  completed: Record<string, string[]>;
  catalog: Record<string, ContentAttributes>;
  series: Record<string, string[]>;
  watchedNext?: Record<string, Record<string, number>>;
  similar?: Record<string, Record<string, number>>;
  cooccurring?: Record<string, Record<string, number>>;
  popular?: Record<string, number>;
  withdrawn?: string[];
}): ContentSource {
  const scored = (entries: Record<string, number> = {}): ScoredItem[] =>
    Object.entries(entries)
      .sort((a, b) => b[1] - a[1])
      .map(([itemId, score]) => ({ itemId, score }));
  return {
    consent: async (_t, user) => (data.withdrawn?.includes(user) ? { personalization: false } : {}),
    recentItems: async (_t, user, limit) => (data.recent[user] ?? []).slice(0, limit),
    completedItems: async (_t, user, limit) => (data.completed[user] ?? []).slice(0, limit),
    itemAttributes: async (_t, ids) => ids.map((id) => data.catalog[id]),
    episodes: async (_t, series) => data.series[series] ?? [],
    watchedNext: async (_t, ids, limit) => ids.map((id) => scored(data.watchedNext?.[id]).slice(0, limit)),
    similarItems: async (_t, ids, limit) => ids.map((id) => scored(data.similar?.[id]).slice(0, limit)),
    cooccurring: async (_t, ids, limit) => ids.map((id) => scored(data.cooccurring?.[id]).slice(0, limit)),
    popular: async (_t, limit) => scored(data.popular).slice(0, limit),
  };
}

const episodes = ['s1e1', 's1e2', 's1e3', 's2e1'];
const catalog: Record<string, ContentAttributes> = Object.fromEntries(
  episodes.map((id) => [id, { seriesId: 'dark', season: Number(id[1]), episode: Number(id[3]) }])
);
const base = {
  recent: { ann: ['s1e2', 'film'], bob: [] as string[] },
  completed: { ann: ['s1e1', 's1e2'] },
  catalog: { ...catalog, film: {}, gone: { available: false } },
  series: { dark: episodes },
  watchedNext: { film: { sequel: 3, gone: 9 }, s1e2: { documentary: 2 } },
  similar: { film: { drama: 0.7 } },
  cooccurring: { film: { thriller: 30, drama: 20 } },
  popular: { blockbuster: 100, s1e1: 50, film: 40 },
};
const request = { tenantId: 't', userId: 'ann', n: 10 };

describe('nextContent', () => {
  it('continues the series first, then what viewers watched next, then similar, then popular', async () => {
    const items = (await nextContent(request, fakeSource(base))).items;
    expect(items.map((i) => i.itemId)).toEqual([
      's1e3',
      'documentary',
      'sequel',
      'drama',
      'thriller',
      'blockbuster',
      'film',
    ]);
    expect(items[0]!.reasons).toEqual([{ code: 'series_continuation', sourceItemId: 's1e2' }]);
    expect(items[1]!.reasons).toEqual([{ code: 'watched_next', sourceItemId: 's1e2' }]);
    // The published similarity table first, then co-occurrence.
    expect(items[3]!.reasons).toEqual([
      { code: 'similar', sourceItemId: 'film' },
      { code: 'co_occurrence', sourceItemId: 'film' },
    ]);
  });

  it('never offers what the viewer finished, the current item, or unavailable content', async () => {
    const items = (await nextContent({ ...request, currentItemId: 'film' }, fakeSource(base))).items;
    const ids = items.map((i) => i.itemId);
    expect(ids).not.toContain('film');
    expect(ids).not.toContain('s1e1');
    expect(ids).not.toContain('s1e2');
    expect(ids).not.toContain('gone');
    // On the film now: what followed the film ranks first among watched-next.
    expect(ids.filter((id) => id === 'sequel' || id === 'documentary')).toEqual(['sequel', 'documentary']);
  });

  it('never goes back in a series in progress, whatever other viewers watched next', async () => {
    const source = fakeSource({
      ...base,
      recent: { ann: ['s1e3'] },
      completed: {},
      watchedNext: { s1e3: { s1e1: 9 } },
    });
    const ids = (await nextContent(request, source)).items.map((i) => i.itemId);
    expect(ids[0]).toBe('s1e3'); // started, not finished: resume it
    expect(ids).not.toContain('s1e1');
    expect(ids).not.toContain('s1e2');
  });

  it('offers a series the viewer has not started from its first episode only', async () => {
    const source = fakeSource({ ...base, recent: { bob: ['film'] }, watchedNext: { film: { s1e2: 5, s1e1: 1 } } });
    const ids = (await nextContent({ ...request, userId: 'bob' }, source)).items.map((i) => i.itemId);
    expect(ids).toContain('s1e1');
    expect(ids).not.toContain('s1e2');
  });

  it('moves on to the next season, and past finished episodes', () => {
    expect(continuation(episodes, 's1e3', true, new Set())).toBe('s2e1');
    expect(continuation(episodes, 's1e1', false, new Set(['s1e1', 's1e2']))).toBe('s1e3');
    // Started, not finished, not playing now: resume it.
    expect(continuation(episodes, 's1e2', false, new Set(['s1e1']))).toBe('s1e2');
    expect(continuation(episodes, 's2e1', true, new Set())).toBeUndefined();
    expect(continuation(episodes, 'unknown', true, new Set())).toBeUndefined();
  });

  it('uses nothing of the viewer’s history without consent to personalization, only the current item', async () => {
    const answer = await nextContent(
      { ...request, currentItemId: 'film' },
      fakeSource({ ...base, withdrawn: ['ann'] })
    );
    expect(answer.consented).toBe(false);
    const ids = answer.items.map((i) => i.itemId);
    expect(ids.slice(0, 2)).toEqual(['sequel', 'drama']); // from the film, the context of the request
    expect(ids).not.toContain('s1e3'); // the series is known from ann's history only
    expect(ids).not.toContain('documentary');
  });

  it('gives a viewer with no history popular content, and at most n items', async () => {
    const items = (await nextContent({ ...request, userId: 'bob', n: 2 }, fakeSource(base))).items;
    expect(items.map((i) => i.itemId)).toEqual(['blockbuster', 's1e1']);
  });
});
