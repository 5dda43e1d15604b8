/**
 * Recommend: candidates from several generators (candidates/), minus what the filters leave out, ranked by
 * the ranking model, then diversified. Pure domain logic: reads go through `CandidateSource` and scoring
 * through `Ranker`, both injected.
 *
 * Round trips to the feature store, each one pipelined Redis round trip: (1) consent, the user's history,
 * and the tenant-wide lists (popular, trending, new arrivals, the page category's popular); (2) for the
 * seeds (recent items and the page's item) their co-occurring and similar items and popularity, and the
 * user's favourite categories' popular items; (3) the popularity of candidates outside the popular list
 * and the catalog's attributes of all.
 */

import type { ItemAttributes, ScoredItem, UserHistory } from '@dmp/features';

import { CategoryAffinity } from './candidates/category-affinity';
import { addCoOccurring } from './candidates/co-occurrence';
import { coldStartTier } from './candidates/cold-start';
import { addNewArrivals, freshness } from './candidates/new-arrivals';
import { CandidatePool, FEATURE_NAMES, featureRows, type Candidate } from './candidates/pool';
import { addPopular, addPopularInCategory } from './candidates/popular';
import { addSimilar } from './candidates/similar-items';
import { NO_TABLES, TrainedScores, type TrainedTables } from './candidates/trained';
import { addTrending } from './candidates/trending';
import { excludedItems, isAvailable } from './filters';
import { historyExclusion, isBlocked, NO_RULES, type RecommendRules } from './rules';

export type { ItemAttributes, ScoredItem, UserHistory } from '@dmp/features';
export { FEATURE_NAMES, featureRows } from './candidates/pool';
export type { TrainedTables } from './candidates/trained';
export { isAvailable } from './filters';

/** A user's consent to personalization; absent: never said (allowed). */
export interface UserConsent {
  personalization?: boolean;
}

export interface CandidateSource {
  consent(tenantId: string, userId: string): Promise<UserConsent>;
  userHistory(tenantId: string, userId: string): Promise<UserHistory>;
  popular(tenantId: string, limit: number): Promise<ScoredItem[]>;
  /** What is hot now (interactions of the last hours), best first. */
  trending(tenantId: string, limit: number): Promise<ScoredItem[]>;
  /** The catalog's newest items; the score is the arrival time (ms). */
  newArrivals(tenantId: string, limit: number): Promise<ScoredItem[]>;
  cooccurring(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]>;
  /** From the published similarity table; empty lists when none was published. */
  similarItems(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]>;
  interactions(tenantId: string, itemIds: readonly string[]): Promise<(number | null)[]>;
  /** A category's most popular items (decayed over a week), best first. */
  popularInCategory(tenantId: string, category: string, limit: number): Promise<ScoredItem[]>;
  /** The catalog's attributes; undefined for an item it does not know (which is then available). */
  itemAttributes(tenantId: string, itemIds: readonly string[]): Promise<(ItemAttributes | undefined)[]>;
}

/** The model that ranks one call: the tenant's (or the platform's), the user's arm of its A/B split. */
export interface RankingModel {
  /** The trained item-to-item tables this version was trained with (none for an untrained model). */
  tables: TrainedTables;
  /** One score per row of `FEATURE_NAMES.length` values, and the version that gave them. */
  score(rows: Float32Array): Promise<{ scores: Float32Array; version: string }>;
}

export interface Ranker {
  /**
   * Runs `work` with the model ranking this call, held for its duration (a swap waits); with undefined when
   * no model serves (loading, refused): the call is then ordered by the heuristic.
   */
  serve<T>(
    call: { tenantId: string; userId: string; decisionId: string },
    work: (model: RankingModel | undefined) => Promise<T>
  ): Promise<T>;
}

export interface RecommendRequest {
  tenantId: string;
  userId: string;
  /** The answer's decision id: shadow model scores are logged under it. */
  decisionId: string;
  n: number;
  exclude: ReadonlySet<string>;
  /** Item on the page the user is looking at: a seed for co-occurrence, and never recommended. */
  currentItemId?: string;
  /** Category of the page: for a user without history, its popular items come first (cold start). */
  pageCategory?: string;
  /** The page asking, e.g. "home" or "cart": rules may differ per surface. */
  surface?: string;
  /** The tenant's business rules (rules.ts); none when omitted. */
  rules?: RecommendRules;
  /** The time of the request (for freshness); now when omitted. */
  nowMs?: number;
}

export type Reason =
  | { code: 'popular' | 'trending' | 'new_arrival' }
  | { code: 'popular_in_category' | 'category_affinity'; category: string }
  | { code: 'co_occurrence' | 'similar' | 'watched_next' | 'series_continuation'; sourceItemId: string };

export interface Recommendation {
  itemId: string;
  score: number;
  reasons: Reason[];
  /** The model's input row for this item (see FEATURE_NAMES), as scored: logged for training. */
  features: number[];
}

export interface RecommendResult {
  items: Recommendation[];
  /** Version of the model that ranked the list; empty when none did (no candidates, or the model failed). */
  modelVersion: string;
  /** How the order was made: by the model, by the heuristic after a model failure, or not at all. */
  rankedBy: 'model' | 'fallback' | 'none';
  /** True when the user's own history brought in at least one of the items. */
  personalized: boolean;
  /** False when the user withdrew consent to personalization: nothing personal was used. */
  consented: boolean;
}

export const LIMITS = {
  /** How many of the user's most recent items seed co-occurrence and similar candidates. */
  seeds: 10,
  /** Co-occurring items read per seed. */
  perSeed: 30,
  /** Similar items read per seed. */
  similarPerSeed: 10,
  /** Popular candidates: at least this many, or 3 n. */
  popular: 100,
  /** Trending and new-arrival candidates. */
  trending: 20,
  newArrivals: 20,
  /** Candidates the model scores, at most (or 2 n): the rest are cut by a cheap retrieval order. */
  candidates: 100,
  /** The share of the shortlist the trained tables' best may take (the rest: fresh and contextual items). */
  trainedShare: 0.8,
  /** The user's favourite categories drawn from, and items per category. */
  favouriteCategories: 3,
  perFavouriteCategory: 10,
} as const;

const NO_HISTORY: UserHistory = { items: [], bought: [], categories: [] };

export async function recommend(
  request: RecommendRequest,
  source: CandidateSource,
  ranker: Ranker,
  onModelFailure: (error: unknown) => void = () => undefined
): Promise<RecommendResult> {
  return ranker.serve(request, (model) => recommendWith(request, source, model, onModelFailure));
}

async function recommendWith(
  request: RecommendRequest,
  source: CandidateSource,
  model: RankingModel | undefined,
  onModelFailure: (error: unknown) => void
): Promise<RecommendResult> {
  const { tenantId, n } = request;
  const nowMs = request.nowMs ?? Date.now();
  // Consent is read with the history, in the same round trip; without consent the history is dropped unused.
  const [consent, userHistory, popular, trending, newest, categoryPopular] = await Promise.all([
    source.consent(tenantId, request.userId),
    source.userHistory(tenantId, request.userId),
    source.popular(tenantId, Math.max(LIMITS.popular, 3 * n)),
    source.trending(tenantId, LIMITS.trending),
    source.newArrivals(tenantId, LIMITS.newArrivals),
    request.pageCategory ? source.popularInCategory(tenantId, request.pageCategory, 3 * n) : [],
  ]);
  const consented = consent.personalization !== false;
  const history = consented ? userHistory : NO_HISTORY;
  const seeds = history.items.slice(0, LIMITS.seeds);
  if (request.currentItemId && !seeds.includes(request.currentItemId)) seeds.unshift(request.currentItemId);
  const rules = request.rules ?? NO_RULES;
  const pool = new CandidatePool(
    excludedItems(request.exclude, request.currentItemId, history, historyExclusion(rules, request.surface))
  );
  const affinity = new CategoryAffinity(history.categories);
  const favourites = affinity.favourites(LIMITS.favouriteCategories);

  const [cooccurrences, similar, seedPopularity, favouritePopular] = await Promise.all([
    source.cooccurring(tenantId, seeds, LIMITS.perSeed),
    source.similarItems(tenantId, seeds, LIMITS.similarPerSeed),
    source.interactions(tenantId, seeds),
    Promise.all(favourites.map((c) => source.popularInCategory(tenantId, c, LIMITS.perFavouriteCategory))),
  ]);

  // The trained tables score every item from the whole history; their best come in first.
  const shortlist = Math.max(LIMITS.candidates, 2 * n);
  const trained = new TrainedScores(model?.tables ?? NO_TABLES, history.items);
  trained.addBest(pool, Math.ceil(shortlist * LIMITS.trainedShare));
  addPopular(pool, popular);
  addPopularInCategory(pool, categoryPopular);
  addTrending(pool, trending);
  addNewArrivals(pool, newest, nowMs);
  const historySet = new Set(history.items);
  addCoOccurring(pool, seeds, cooccurrences, seedPopularity, historySet);
  addSimilar(pool, seeds, similar, historySet);
  affinity.addPopularIn(pool, favourites, favouritePopular);

  const all = pool.shortlist(shortlist, LIMITS.trainedShare);
  const unknownPopularity = all.filter((c) => !c.popular);
  // One round trip: popularity of candidates outside the popular list and the catalog's word on every one.
  const [counts, attributes] = await Promise.all([
    source.interactions(
      tenantId,
      unknownPopularity.map((c) => c.itemId)
    ),
    source.itemAttributes(
      tenantId,
      all.map((c) => c.itemId)
    ),
  ]);
  unknownPopularity.forEach((c, i) => (c.popularity = counts[i] ?? 0));
  all.forEach((c, i) => {
    affinity.rate(c, attributes[i]?.category);
    if (!c.newArrival) c.freshness = freshness(attributes[i]?.createdAtMs, nowMs);
  });
  trained.rate(all);

  // Unavailable and out-of-stock items, and the tenant's blocked categories, are never recommended.
  const kept = all.flatMap((c, i) =>
    isAvailable(attributes[i]) && !isBlocked(rules, attributes[i]?.category)
      ? [{ c, category: attributes[i]?.category }]
      : []
  );
  const list = kept.map((k) => k.c);
  // As the model sees them (float32), so that the logged vectors are exactly what was scored.
  const rows = featureRows(list, seeds.length);
  const { scores, rankedBy, version } = await rank(rows, list, model, onModelFailure);
  // Cold start: with no history to go on, the request's context orders the list before the model does.
  const coldStart = history.items.length === 0;
  const sorted = kept
    .map(({ c, category }, i) => ({
      c,
      category,
      row: i,
      score: scores[i] ?? 0,
      tier: coldStart ? coldStartTier(c, request.currentItemId) : 0,
    }))
    .sort(
      (a, b) =>
        a.tier - b.tier || b.score - a.score || b.c.popularity - a.c.popularity || (a.c.itemId < b.c.itemId ? -1 : 1)
    );
  const ranked = diversify(sorted, n, rules.maxPerCategory, (r) => r.category);
  // "Because you used X" for the trained items returned (looked up for these few, not while scoring all).
  for (const { c } of ranked)
    if (c.trained > -Infinity && c.similarSeed === undefined) c.trainedSeed = trained.sourceOf(c.itemId);
  const width = FEATURE_NAMES.length;

  return {
    items: ranked.map(({ c, score, row }) => ({
      itemId: c.itemId,
      score,
      reasons: reasons(c, request.pageCategory),
      features: Array.from(rows.subarray(row * width, (row + 1) * width)),
    })),
    modelVersion: version,
    rankedBy,
    personalized: ranked.some(({ c }) => c.fromHistory || c.affinityCategory !== undefined),
    consented,
  };
}

async function rank(
  rows: Float32Array,
  candidates: Candidate[],
  model: RankingModel | undefined,
  onModelFailure: (error: unknown) => void
): Promise<{ scores: ArrayLike<number>; rankedBy: RecommendResult['rankedBy']; version: string }> {
  if (candidates.length === 0) return { scores: [], rankedBy: 'none', version: '' };
  try {
    if (!model) throw new Error('no ranking model serves');
    const { scores, version } = await model.score(rows);
    return { scores, rankedBy: 'model', version };
  } catch (error) {
    // A broken model must not fail the shop's page: fall back to the trained tables' order, then
    // co-occurrence strength, then popularity.
    onModelFailure(error);
    return {
      scores: candidates.map((c) => (c.trained > -Infinity ? 1e12 + c.trained : c.coocSum * 1e6 + c.popularity)),
      rankedBy: 'fallback',
      version: '',
    };
  }
}

function reasons(c: Candidate, pageCategory: string | undefined): Reason[] {
  const list: Reason[] = [];
  if (c.coocSeed !== undefined) list.push({ code: 'co_occurrence', sourceItemId: c.coocSeed });
  const similarTo = c.similarSeed ?? c.trainedSeed;
  if (similarTo !== undefined) list.push({ code: 'similar', sourceItemId: similarTo });
  if (c.affinityCategory !== undefined) list.push({ code: 'category_affinity', category: c.affinityCategory });
  if (c.inPageCategory && pageCategory) list.push({ code: 'popular_in_category', category: pageCategory });
  if (c.newArrival) list.push({ code: 'new_arrival' });
  if (c.trending > 0) list.push({ code: 'trending' });
  if (c.popular) list.push({ code: 'popular' });
  return list;
}

/**
 * The best n in order, at most `maxPerCategory` of one category (0: no cap; items of unknown category are
 * never held back): a shop's list should not be ten phone cases. When the other categories cannot fill n,
 * the held-back items do, best first: a short list is worse than a repetitive one.
 */
export function diversify<T>(
  ranked: readonly T[],
  n: number,
  maxPerCategory: number,
  categoryOf: (item: T) => string | undefined
): T[] {
  if (maxPerCategory <= 0) return ranked.slice(0, n);
  const taken: T[] = [];
  const heldBack: T[] = [];
  const counts = new Map<string, number>();
  for (const item of ranked) {
    if (taken.length === n) break;
    const category = categoryOf(item);
    if (category !== undefined) {
      const count = counts.get(category) ?? 0;
      if (count >= maxPerCategory) {
        heldBack.push(item);
        continue;
      }
      counts.set(category, count + 1);
    }
    taken.push(item);
  }
  return [...taken, ...heldBack.slice(0, n - taken.length)];
}
