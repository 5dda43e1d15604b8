import { describe, expect, it } from 'vitest';

import { demoCatalog, demoEvents, prng } from './shop';

const options = { seed: 7, users: 50, items: 40, categories: 4, events: 2_000, endMs: Date.UTC(2026, 0, 8) };

describe('demo data', () => {
  it('is the same for the same seed, and different for another seed', () => {
    const a = [...demoEvents(options)];
    const b = [...demoEvents(options)];
    const c = [...demoEvents({ ...options, seed: 8 })];
    expect(a).toEqual(b);
    expect(a.map((e) => e.userId)).not.toEqual(c.map((e) => e.userId));
  });

  it('produces exactly the asked number of events with unique ids inside the week before the end', () => {
    const events = [...demoEvents(options)];
    expect(events).toHaveLength(options.events);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(options.events);
    for (const e of events) {
      expect(e.occurredAtMs).toBeLessThanOrEqual(options.endMs);
      expect(e.occurredAtMs).toBeGreaterThan(options.endMs - 8 * 24 * 3_600_000);
    }
  });

  it('skews popularity: the most viewed item gets far more views than the median one', () => {
    const views = new Map<string, number>();
    for (const e of demoEvents(options))
      if (e.type === 'view') views.set(e.itemIds[0]!, (views.get(e.itemIds[0]!) ?? 0) + 1);
    const counts = [...views.values()].sort((x, y) => y - x);
    expect(counts[0]!).toBeGreaterThan(4 * counts[Math.floor(counts.length / 2)]!);
  });

  it('keeps users loyal to categories: most of a user’s views fall in two categories', () => {
    const category = new Map(demoCatalog(options).map((i) => [i.itemId, i.category]));
    const perUser = new Map<string, Map<string, number>>();
    for (const e of demoEvents(options)) {
      if (e.type !== 'view') continue;
      const counts = perUser.get(e.userId) ?? new Map<string, number>();
      const cat = category.get(e.itemIds[0]!)!;
      counts.set(cat, (counts.get(cat) ?? 0) + 1);
      perUser.set(e.userId, counts);
    }
    let inTopTwo = 0;
    let total = 0;
    for (const counts of perUser.values()) {
      const sorted = [...counts.values()].sort((x, y) => y - x);
      inTopTwo += (sorted[0] ?? 0) + (sorted[1] ?? 0);
      total += sorted.reduce((s, x) => s + x, 0);
    }
    expect(inTopTwo / total).toBeGreaterThan(0.75);
  });

  it('prng yields values in [0, 1)', () => {
    const random = prng(1);
    for (let i = 0; i < 1000; i++) {
      const x = random();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
