import { prng, zipf, type DemoEvent } from './shop';

/**
 * A seeded synthetic streaming service: series of seasons and episodes and films in genres, and viewers who
 * binge (the next episodes of a series in progress, several in a row), keep to their genres, drop some
 * episodes before the end, and follow the crowd (popularity skew).
 */
export interface VideoOptions {
  seed: number;
  viewers: number;
  series: number;
  films: number;
  genres: number;
  events: number;
  /** Time of the last event; earlier ones spread over the week before it. */
  endMs: number;
}

export interface VideoItem {
  itemId: string;
  genre: string;
  seriesId?: string;
  season?: number;
  episode?: number;
}

/** The streaming tenant `dmp up --demo` loads. */
export const DEFAULT_VIDEO_DEMO: Omit<VideoOptions, 'endMs'> = {
  seed: 42,
  viewers: 300,
  series: 20,
  films: 60,
  genres: 6,
  events: 10_000,
};

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Series s-001… of 1–3 seasons of 6–10 episodes (ids s-001-s1e01), and films f-0001…, in genres. */
export function videoCatalog(options: Pick<VideoOptions, 'seed' | 'series' | 'films' | 'genres'>): VideoItem[] {
  const random = prng(options.seed ^ 0x5eed);
  const items: VideoItem[] = [];
  for (let s = 1; s <= options.series; s++) {
    const seriesId = `s-${pad(s, 3)}`;
    const genre = `genre-${pad((s % options.genres) + 1, 2)}`;
    const seasons = 1 + Math.floor(random() * 3);
    for (let season = 1; season <= seasons; season++) {
      const episodes = 6 + Math.floor(random() * 5);
      for (let episode = 1; episode <= episodes; episode++) {
        items.push({ itemId: `${seriesId}-s${season}e${pad(episode, 2)}`, genre, seriesId, season, episode });
      }
    }
  }
  for (let f = 1; f <= options.films; f++) {
    items.push({ itemId: `f-${pad(f, 4)}`, genre: `genre-${pad((f % options.genres) + 1, 2)}` });
  }
  return items;
}

export function* videoEvents(options: VideoOptions): Generator<DemoEvent> {
  const random = prng(options.seed);
  const catalog = videoCatalog(options);
  const episodesOf = new Map<string, VideoItem[]>();
  for (const item of catalog) {
    if (item.seriesId) episodesOf.set(item.seriesId, [...(episodesOf.get(item.seriesId) ?? []), item]);
  }
  const seriesIds = [...episodesOf.keys()];
  const films = catalog.filter((i) => !i.seriesId);
  const genres = Array.from({ length: options.genres }, (_, g) => `genre-${pad(g + 1, 2)}`);
  const favourite = Array.from({ length: options.viewers }, () => genres[zipf(random, genres.length, 0.8)]!);
  /** Per viewer: series in progress → index of the next episode. */
  const progress = Array.from({ length: options.viewers }, () => new Map<string, number>());
  const weekMs = 7 * 24 * 3_600_000;
  // Each viewer's own clock only moves forward: what they watch next happens later, as binges do. Steps
  // are sized to the viewer's expected number of sessions (viewers are drawn zipf(0.6), about 3 events a
  // session), so even the busiest one stays within the week.
  const weights = Array.from({ length: options.viewers }, (_, v) => 1 / (v + 1) ** 0.6);
  const total = weights.reduce((a, b) => a + b, 0);
  const step = weights.map((w) => weekMs / Math.max(1, ((options.events / 3) * w) / total) / 1.5);
  const clock = Array.from({ length: options.viewers }, () => options.endMs - weekMs);

  let produced = 0;
  while (produced < options.events) {
    const viewer = zipf(random, options.viewers, 0.6);
    const userId = `v-${pad(viewer + 1, 4)}`;
    clock[viewer]! += Math.floor(random() * step[viewer]!);
    let time = clock[viewer]!;
    const watch = (item: VideoItem): DemoEvent[] => {
      const started: DemoEvent = {
        eventId: `video-${options.seed}-${++produced}`,
        type: 'play_start',
        userId,
        itemIds: [item.itemId],
        category: item.genre,
        occurredAtMs: Math.min((time += 60_000), options.endMs),
      };
      clock[viewer] = time;
      // Most plays reach the end; some are dropped.
      if (random() >= 0.85 || produced >= options.events) return [started];
      time += 40 * 60_000;
      clock[viewer] = time;
      const completed: DemoEvent = {
        ...started,
        eventId: `video-${options.seed}-${++produced}`,
        type: 'play_complete',
        occurredAtMs: Math.min(time, options.endMs),
      };
      return [started, completed];
    };

    const inProgress = [...progress[viewer]!].filter(([s, next]) => next < episodesOf.get(s)!.length);
    if (inProgress.length > 0 && random() < 0.7) {
      // Binge: one to four next episodes of a series in progress, in order.
      const [seriesId, next] = inProgress[Math.floor(random() * inProgress.length)]!;
      const episodes = episodesOf.get(seriesId)!;
      const count = 1 + Math.floor(random() * 4);
      let at = next;
      for (let k = 0; k < count && at < episodes.length && produced < options.events; k++, at++) {
        yield* watch(episodes[at]!);
      }
      progress[viewer]!.set(seriesId, at);
    } else if (random() < 0.6) {
      // A new series: by popularity, mostly within the viewer's genre.
      const loyal = random() < 0.75;
      const pool = loyal ? seriesIds.filter((s) => episodesOf.get(s)![0]!.genre === favourite[viewer]) : seriesIds;
      const seriesId = (pool.length > 0 ? pool : seriesIds)[zipf(random, (pool.length > 0 ? pool : seriesIds).length)]!;
      if (!progress[viewer]!.has(seriesId)) {
        yield* watch(episodesOf.get(seriesId)![0]!);
        progress[viewer]!.set(seriesId, 1);
      }
    } else if (films.length > 0) {
      yield* watch(films[zipf(random, films.length)]!);
    }
  }
}
