import { describe, expect, it } from 'vitest';

import { videoCatalog, videoEvents } from './video';

const options = { seed: 3, viewers: 60, series: 12, films: 30, genres: 4, events: 3_000, endMs: Date.UTC(2026, 0, 8) };

describe('video demo data', () => {
  it('is the same for the same seed, with exactly the asked number of events', () => {
    const a = [...videoEvents(options)];
    expect(a).toEqual([...videoEvents(options)]);
    expect(a).toHaveLength(options.events);
    expect(new Set(a.map((e) => e.eventId)).size).toBe(options.events);
  });

  it('has series of seasons and episodes, and films', () => {
    const catalog = videoCatalog(options);
    const series = catalog.filter((i) => i.seriesId === 's-001');
    expect(series[0]).toMatchObject({ itemId: 's-001-s1e01', season: 1, episode: 1 });
    expect(series.length).toBeGreaterThanOrEqual(6);
    expect(catalog.filter((i) => !i.seriesId)).toHaveLength(options.films);
  });

  it('binges: each viewer starts a series’ episodes in order, without skipping', () => {
    const order = (id: string): number => {
      const m = /-s(\d)e(\d+)$/.exec(id);
      return m ? Number(m[1]) * 100 + Number(m[2]) : -1;
    };
    const last = new Map<string, number>();
    let episodes = 0;
    for (const e of videoEvents(options)) {
      if (e.type !== 'play_start' || !e.itemIds[0]!.startsWith('s-')) continue;
      episodes++;
      const key = `${e.userId}|${e.itemIds[0]!.slice(0, 5)}`;
      const at = order(e.itemIds[0]!);
      expect(at, `${key} went back`).toBeGreaterThan(last.get(key) ?? 0);
      last.set(key, at);
    }
    expect(episodes).toBeGreaterThan(options.events / 4);
  });

  it('moves each viewer’s time forward only, within the week before the end', () => {
    const last = new Map<string, number>();
    for (const e of videoEvents(options)) {
      expect(e.occurredAtMs).toBeGreaterThanOrEqual(last.get(e.userId) ?? 0);
      expect(e.occurredAtMs).toBeLessThanOrEqual(options.endMs);
      expect(e.occurredAtMs).toBeGreaterThan(options.endMs - 8 * 24 * 3_600_000);
      last.set(e.userId, e.occurredAtMs);
    }
  });

  it('completes most plays, each after its start', () => {
    const events = [...videoEvents(options)];
    const starts = events.filter((e) => e.type === 'play_start').length;
    const completes = events.filter((e) => e.type === 'play_complete');
    expect(completes.length / starts).toBeGreaterThan(0.7);
    for (const c of completes) {
      const started = events.some(
        (e) =>
          e.type === 'play_start' &&
          e.userId === c.userId &&
          e.itemIds[0] === c.itemIds[0] &&
          e.occurredAtMs <= c.occurredAtMs
      );
      expect(started, c.eventId).toBe(true);
    }
  });
});
