/**
 * NextContent: what a viewer should watch next. In order:
 *
 * 1. Series continuation: for each series the viewer is in (the current item's first, then by recency),
 *    the first episode from the last one watched on that is not finished (the one after, if the last one
 *    is what is playing now).
 * 2. Watched next: what viewers most often started right after the current item (or the latest ones).
 * 3. Similar: the published similarity table's neighbours of the current or latest items, then content
 *    used by the same viewers (co-occurrence).
 * 4. Popular, to fill the list.
 *
 * Never what the viewer finished, the current item, or what the catalog says is unavailable. Pure domain
 * logic over `ContentSource`; three rounds of reads, each one pipelined Redis round trip.
 */
import { episodeOrder } from '@dmp/features';

import {
  isAvailable,
  type ItemAttributes,
  type Reason,
  type Recommendation,
  type ScoredItem,
  type UserConsent,
} from './recommend';

export interface ContentAttributes extends ItemAttributes {
  seriesId?: string;
  season?: number;
  episode?: number;
}

export interface ContentSource {
  consent(tenantId: string, userId: string): Promise<UserConsent>;
  recentItems(tenantId: string, userId: string, limit: number): Promise<string[]>;
  completedItems(tenantId: string, userId: string, limit: number): Promise<string[]>;
  itemAttributes(tenantId: string, itemIds: readonly string[]): Promise<(ContentAttributes | undefined)[]>;
  /** A series' episodes in viewing order. */
  episodes(tenantId: string, seriesId: string): Promise<string[]>;
  watchedNext(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]>;
  cooccurring(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]>;
  similarItems(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]>;
  popular(tenantId: string, limit: number): Promise<ScoredItem[]>;
}

export interface NextContentRequest {
  tenantId: string;
  userId: string;
  currentItemId?: string;
  n: number;
}

export const NEXT_LIMITS = {
  /** Recent items read, and how many of them can anchor a series. */
  recent: 50,
  /** Finished items read (the default feature keeps 100). */
  completed: 100,
  /** Series continued at most. */
  series: 5,
  /** Items whose watched-next and similar lists are read. */
  seeds: 3,
  perSeed: 20,
} as const;

/** Tiers keep the order of sources whatever the strengths inside them: each adds below 1. */
const TIER = { series: 4, watchedNext: 3, similar: 2, coOccurring: 1, popular: 0 } as const;

export async function nextContent(
  request: NextContentRequest,
  source: ContentSource
): Promise<{ items: Recommendation[]; consented: boolean }> {
  const { tenantId, userId, currentItemId, n } = request;
  const [consent, viewerRecent, viewerCompleted] = await Promise.all([
    source.consent(tenantId, userId),
    source.recentItems(tenantId, userId, NEXT_LIMITS.recent),
    source.completedItems(tenantId, userId, NEXT_LIMITS.completed),
  ]);
  // Without consent to personalization the viewer's history is dropped unused: only the current item counts.
  const consented = consent.personalization !== false;
  const recent = consented ? viewerRecent : [];
  const completed = new Set(consented ? viewerCompleted : []);
  const watched = currentItemId ? [currentItemId, ...recent.filter((i) => i !== currentItemId)] : recent;
  const seeds = watched.slice(0, NEXT_LIMITS.seeds);

  const [attributes, next, similar, cooccurring, popular] = await Promise.all([
    source.itemAttributes(tenantId, watched),
    source.watchedNext(tenantId, seeds, NEXT_LIMITS.perSeed),
    source.similarItems(tenantId, seeds, NEXT_LIMITS.perSeed),
    source.cooccurring(tenantId, seeds, NEXT_LIMITS.perSeed),
    source.popular(tenantId, Math.max(50, 3 * n)),
  ]);

  // The series in progress, most recent first, each with the latest episode watched on it.
  const anchors = new Map<string, string>();
  /** Per series in progress, where the viewer is in it: nothing before that is offered again. */
  const position = new Map<string, number>();
  watched.forEach((itemId, i) => {
    const a = attributes[i];
    const series = a?.seriesId;
    if (!series) return;
    if (!anchors.has(series) && anchors.size < NEXT_LIMITS.series) anchors.set(series, itemId);
    position.set(series, Math.max(position.get(series) ?? 0, order(a)));
  });
  const seriesLists = await Promise.all([...anchors.keys()].map((s) => source.episodes(tenantId, s)));

  const candidates = new Map<string, { score: number; reasons: Reason[] }>();
  const offer = (itemId: string, score: number, reason: Reason): void => {
    if (itemId === currentItemId || completed.has(itemId)) return;
    const known = candidates.get(itemId);
    if (!known) candidates.set(itemId, { score, reasons: [reason] });
    else if (!known.reasons.some((r) => r.code === reason.code)) known.reasons.push(reason);
  };
  [...anchors.entries()].forEach(([, anchor], s) => {
    const episode = continuation(seriesLists[s]!, anchor, anchor === currentItemId, completed);
    if (episode) offer(episode, TIER.series + 0.9 - s * 0.01, { code: 'series_continuation', sourceItemId: anchor });
  });
  const ranked = (lists: ScoredItem[][], tier: number, code: 'watched_next' | 'similar' | 'co_occurrence'): void => {
    const strength = new Map<string, { total: number; source: string }>();
    lists.forEach((list, s) => {
      for (const { itemId, score } of list) {
        // The current (first) seed counts most: it is what the viewer is on now.
        const weighted = score / (s + 1);
        const known = strength.get(itemId);
        if (!known) strength.set(itemId, { total: weighted, source: seeds[s]! });
        else known.total += weighted;
      }
    });
    for (const [itemId, { total, source: from }] of strength) {
      offer(itemId, tier + total / (1 + total), { code, sourceItemId: from });
    }
  };
  ranked(next, TIER.watchedNext, 'watched_next');
  ranked(similar, TIER.similar, 'similar');
  ranked(cooccurring, TIER.coOccurring, 'co_occurrence');
  const top = popular[0]?.score ?? 1;
  for (const { itemId, score } of popular)
    offer(itemId, TIER.popular + (0.9 * score) / (top || 1), { code: 'popular' });

  const ordered = [...candidates].sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1));
  // The catalog's word on the best few, enough to fill n after dropping unavailable ones.
  const shortlist = ordered.slice(0, n * 2 + 10);
  const available = await source.itemAttributes(
    tenantId,
    shortlist.map(([itemId]) => itemId)
  );
  const items = shortlist
    .filter((_, i) => isAvailable(available[i]) && !behind(available[i], position) && !midway(available[i], position))
    .slice(0, n)
    .map(([itemId, { score, reasons }]) => ({ itemId, score, reasons, features: [] }));
  return { items, consented };
}

const order = (a: ContentAttributes): number => episodeOrder(a.season ?? 0, a.episode ?? 0);

/** An episode before the viewer's place in a series in progress: seen, or skipped on purpose. */
function behind(a: ContentAttributes | undefined, position: ReadonlyMap<string, number>): boolean {
  const at = a?.seriesId === undefined ? undefined : position.get(a.seriesId);
  return at !== undefined && order(a!) < at;
}

/** An episode past the first of a series the viewer has not started: a series is offered from its start. */
function midway(a: ContentAttributes | undefined, position: ReadonlyMap<string, number>): boolean {
  return a?.seriesId !== undefined && !position.has(a.seriesId) && order(a) > order({ season: 1, episode: 1 });
}

/**
 * The next episode to watch in a series, from `anchor` (the latest watched on it): the anchor itself when
 * it was started but not finished and is not playing now, else the first unfinished one after it.
 */
export function continuation(
  episodes: readonly string[],
  anchor: string,
  playingNow: boolean,
  completed: ReadonlySet<string>
): string | undefined {
  const at = episodes.indexOf(anchor);
  if (at < 0) return undefined;
  const from = playingNow || completed.has(anchor) ? at + 1 : at;
  return episodes.slice(from).find((e) => !completed.has(e));
}
