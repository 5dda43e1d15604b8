/**
 * Recommend: candidates from the tenant's popular items and from items that co-occur with the user's
 * recent ones, minus what the user already interacted with, ranked by the ranking model. Pure domain
 * logic: reads go through `CandidateSource` and scoring through `Ranker`, both injected.
 *
 * Round trips to the feature store: (1) the user's recent items and the popular list, together;
 * (2) co-occurrences and popularity of the user's items, together; (3) popularity of co-occurrence
 * candidates outside the popular list. Each is one pipelined Redis round trip.
 */

import { isBlocked, NO_RULES, type RecommendRules } from './rules';

export interface ScoredItem {
  itemId: string;
  score: number;
}

/** What the catalog says of an item (only what Recommend uses). */
export interface ItemAttributes {
  available?: boolean;
  stock?: number;
  /** Category path, e.g. "electronics/phones": for blocked categories and diversity. */
  category?: string;
}

/** What a user allowed; only personalization matters here. Absent: never said (allowed). */
export interface UserConsent {
  personalization?: boolean;
}

export interface CandidateSource {
  consent(tenantId: string, userId: string): Promise<UserConsent>;
  recentItems(tenantId: string, userId: string, limit: number): Promise<string[]>;
  popular(tenantId: string, limit: number): Promise<ScoredItem[]>;
  cooccurring(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]>;
  interactions(tenantId: string, itemIds: readonly string[]): Promise<(number | null)[]>;
  /** A category's most popular items (decayed over a week), best first. */
  popularInCategory(tenantId: string, category: string, limit: number): Promise<ScoredItem[]>;
  /** The catalog's attributes; undefined for an item it does not know (which is then available). */
  itemAttributes(tenantId: string, itemIds: readonly string[]): Promise<(ItemAttributes | undefined)[]>;
}

export interface Ranker {
  /**
   * One score per row of `FEATURE_NAMES.length` values, and the model version that gave them: which one
   * depends on the user when the model runs an A/B split.
   */
  score(
    rows: Float32Array,
    call: { userId: string; decisionId: string }
  ): Promise<{ scores: Float32Array; version: string }>;
}

/** The ranking model's input columns, in order. The trainer writes the same names into the model's metadata. */
export const FEATURE_NAMES = ['popularity', 'cooc_sum', 'cooc_hits', 'cooc_confidence'] as const;

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
}

export type Reason =
  | { code: 'popular' }
  | { code: 'popular_in_category'; category: string }
  | { code: 'co_occurrence' | 'watched_next' | 'series_continuation'; sourceItemId: string };

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
  /** How much of the user's history is excluded (the feature store keeps 50). */
  history: 50,
  /** How many of the user's most recent items seed co-occurrence candidates. */
  seeds: 10,
  /** Co-occurring items read per seed. */
  perSeed: 30,
  /** Popular candidates: at least this many, or 3 n. */
  popular: 100,
} as const;

interface Candidate {
  itemId: string;
  popularity: number;
  coocSum: number;
  coocHits: number;
  coocConfidence: number;
  /** Seed with the strongest co-occurrence: the "because you viewed X" item. */
  bestSeed?: string;
  /** Whether a seed from the user's history (not just the current page's item) led here. */
  fromHistory: boolean;
  bestSeedCount: number;
  popular: boolean;
  /** Among the page category's popular items. */
  inPageCategory: boolean;
}

export async function recommend(
  request: RecommendRequest,
  source: CandidateSource,
  ranker: Ranker,
  onModelFailure: (error: unknown) => void = () => undefined
): Promise<RecommendResult> {
  const { tenantId, n } = request;
  // Consent is read with the history, in the same round trip; without consent the history is dropped unused.
  const [consent, userHistory, popular, categoryPopular] = await Promise.all([
    source.consent(tenantId, request.userId),
    source.recentItems(tenantId, request.userId, LIMITS.history),
    source.popular(tenantId, Math.max(LIMITS.popular, 3 * n)),
    request.pageCategory ? source.popularInCategory(tenantId, request.pageCategory, 3 * n) : [],
  ]);
  const consented = consent.personalization !== false;
  const history = consented ? userHistory : [];
  const seeds = history.slice(0, LIMITS.seeds);
  if (request.currentItemId && !seeds.includes(request.currentItemId)) seeds.unshift(request.currentItemId);
  const rules = request.rules ?? NO_RULES;
  const excludeHistory = rules.surfaces[request.surface ?? '']?.excludeHistory ?? true;
  const excluded = new Set([...request.exclude, ...(excludeHistory ? history : [])]);
  if (request.currentItemId) excluded.add(request.currentItemId);

  const [cooccurrences, seedPopularity] = await Promise.all([
    source.cooccurring(tenantId, seeds, LIMITS.perSeed),
    source.interactions(tenantId, seeds),
  ]);

  const candidates = new Map<string, Candidate>();
  const candidate = (itemId: string): Candidate => {
    let c = candidates.get(itemId);
    if (!c) {
      c = {
        itemId,
        popularity: 0,
        coocSum: 0,
        coocHits: 0,
        coocConfidence: 0,
        bestSeedCount: 0,
        popular: false,
        fromHistory: false,
        inPageCategory: false,
      };
      candidates.set(itemId, c);
    }
    return c;
  };
  for (const { itemId, score } of popular) {
    if (excluded.has(itemId)) continue;
    const c = candidate(itemId);
    c.popularity = score;
    c.popular = true;
  }
  for (const { itemId } of categoryPopular) {
    if (!excluded.has(itemId)) candidate(itemId).inPageCategory = true;
  }
  const historySet = new Set(history);
  seeds.forEach((seed, i) => {
    const seedCount = Math.max(seedPopularity[i] ?? 0, 1);
    const fromHistory = historySet.has(seed);
    for (const { itemId, score } of cooccurrences[i] ?? []) {
      if (excluded.has(itemId)) continue;
      const c = candidate(itemId);
      c.coocSum += score;
      c.coocHits += 1;
      c.fromHistory ||= fromHistory;
      c.coocConfidence = Math.max(c.coocConfidence, Math.min(1, score / seedCount));
      if (score > c.bestSeedCount) {
        c.bestSeedCount = score;
        c.bestSeed = seed;
      }
    }
  });

  const all = [...candidates.values()];
  const unknownPopularity = all.filter((c) => !c.popular);
  // One round trip: popularity of co-occurrence candidates and the catalog's word on every candidate.
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

  // Unavailable and out-of-stock items, and the tenant's blocked categories, are never recommended.
  const list = all.filter((_, i) => isAvailable(attributes[i]) && !isBlocked(rules, attributes[i]?.category));
  const categoryOf = new Map(all.map((c, i) => [c.itemId, attributes[i]?.category]));
  // As the model sees them (float32), so that the logged vectors are exactly what was scored.
  const rows = list.map((c) => featureRow(c, seeds.length).map(Math.fround));
  const { scores, rankedBy, version } = await rank(rows, list, request, ranker, onModelFailure);
  // Cold start: with no history to go on, the page's category is the best signal there is, so its popular
  // items come first (each group in model order).
  const coldStart = history.length === 0 && categoryPopular.length > 0;
  const sorted = list
    .map((c, i) => ({ c, score: scores[i] ?? 0, features: rows[i]! }))
    .sort(
      (a, b) =>
        (coldStart ? Number(b.c.inPageCategory) - Number(a.c.inPageCategory) : 0) ||
        b.score - a.score ||
        b.c.popularity - a.c.popularity ||
        (a.c.itemId < b.c.itemId ? -1 : 1)
    );
  const ranked = diversify(sorted, n, rules.maxPerCategory, (r) => categoryOf.get(r.c.itemId));

  return {
    items: ranked.map(({ c, score, features }) => ({
      itemId: c.itemId,
      score,
      reasons: reasons(c, request.pageCategory),
      features,
    })),
    modelVersion: version,
    rankedBy,
    personalized: ranked.some(({ c }) => c.fromHistory),
    consented,
  };
}

/** The model's input row for a candidate; see FEATURE_NAMES. */
export function featureRow(
  c: Pick<Candidate, 'popularity' | 'coocSum' | 'coocHits' | 'coocConfidence'>,
  seedCount: number
): number[] {
  return [
    Math.log1p(c.popularity),
    Math.log1p(c.coocSum),
    seedCount === 0 ? 0 : c.coocHits / seedCount,
    c.coocConfidence,
  ];
}

async function rank(
  featureRows: number[][],
  candidates: Candidate[],
  call: { userId: string; decisionId: string },
  ranker: Ranker,
  onModelFailure: (error: unknown) => void
): Promise<{ scores: ArrayLike<number>; rankedBy: RecommendResult['rankedBy']; version: string }> {
  if (candidates.length === 0) return { scores: [], rankedBy: 'none', version: '' };
  const width = FEATURE_NAMES.length;
  const rows = new Float32Array(candidates.length * width);
  featureRows.forEach((row, i) => rows.set(row, i * width));
  try {
    const { scores, version } = await ranker.score(rows, { userId: call.userId, decisionId: call.decisionId });
    return { scores, rankedBy: 'model', version };
  } catch (error) {
    // A broken model must not fail the shop's page: fall back to co-occurrence strength, then popularity.
    onModelFailure(error);
    return { scores: candidates.map((c) => c.coocSum * 1e6 + c.popularity), rankedBy: 'fallback', version: '' };
  }
}

function reasons(c: Candidate, pageCategory: string | undefined): Reason[] {
  const list: Reason[] = [];
  if (c.bestSeed !== undefined) list.push({ code: 'co_occurrence', sourceItemId: c.bestSeed });
  if (c.inPageCategory && pageCategory) list.push({ code: 'popular_in_category', category: pageCategory });
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

/** An item can be recommended unless the catalog says it is unavailable or out of stock. */
export function isAvailable(attributes: ItemAttributes | undefined): boolean {
  return attributes?.available !== false && attributes?.stock !== 0;
}
