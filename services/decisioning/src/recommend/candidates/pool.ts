import type { ScoredItem } from '../recommend';

/**
 * A recommendation candidate: what the generators found out about one item. Each generator fills its own
 * fields; the model sees them through `featureRows`, and `reasons` explains them to the user.
 */
export interface Candidate {
  itemId: string;
  /** All-time interactions with the item in the tenant. */
  popularity: number;
  /** Co-occurrence with the seeds (the user's recent items and the page's item): sum, seeds hit, strongest share. */
  coocSum: number;
  coocHits: number;
  coocConfidence: number;
  /** Seed with the strongest co-occurrence: the "because you viewed X" item. */
  coocSeed?: string;
  coocSeedCount: number;
  /** Strongest similarity to a seed, from the published similarity table; and that seed. */
  similarity: number;
  similarSeed?: string;
  /** Whether a seed from the user's history (not just the page's item) led here. */
  fromHistory: boolean;
  /** Share of the hottest item's trending score, in [0, 1]. */
  trending: number;
  /** 1 when it just arrived in the catalog, falling to 0 at `FRESH_DAYS` old. */
  freshness: number;
  /** Share of the user's interest that goes to the item's category, in [0, 1]. */
  categoryAffinity: number;
  /** The user's favourite category it was found in, for "because you like Y". */
  affinityCategory?: string;
  /** Found by the tenant-wide popular list. */
  popular: boolean;
  /** Found among the page category's popular items. */
  inPageCategory: boolean;
  /** Found by the new-arrivals list. */
  newArrival: boolean;
  /** The primary trained table's score from the user's whole history, when it brought the item in; else −∞. */
  trained: number;
  /** The history item with the largest weight to it in that table: "because you used X". */
  trainedSeed?: string;
  /** EASE^R's and item-kNN's scores from the user's whole history (0 without a trained table). */
  ease: number;
  knn: number;
}

/** The ranking model's input columns, in order. A model uses those its card names; the log keeps all. */
export const FEATURE_NAMES = [
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
] as const;

/** An item counts as new for this long after it arrived. */
export const FRESH_DAYS = 30;

/** The model's input: one row per candidate, FEATURE_NAMES in order. */
export function featureRows(candidates: readonly Candidate[], seedCount: number): Float32Array {
  const width = FEATURE_NAMES.length;
  const rows = new Float32Array(candidates.length * width);
  candidates.forEach((c, i) => {
    const at = i * width;
    rows[at] = Math.log1p(c.popularity);
    rows[at + 1] = Math.log1p(c.coocSum);
    rows[at + 2] = seedCount === 0 ? 0 : c.coocHits / seedCount;
    rows[at + 3] = c.coocConfidence;
    rows[at + 4] = c.similarity;
    rows[at + 5] = c.trending;
    rows[at + 6] = c.categoryAffinity;
    rows[at + 7] = c.freshness;
    rows[at + 8] = c.ease;
    rows[at + 9] = c.knn;
  });
  return rows;
}

/** The candidates of one call, by item; excluded items never get in. */
export class CandidatePool {
  private readonly byItem = new Map<string, Candidate>();

  constructor(private readonly excluded: ReadonlySet<string>) {}

  /** The item's candidate, created on first mention; undefined when the item is excluded. */
  add(itemId: string): Candidate | undefined {
    if (this.excluded.has(itemId)) return undefined;
    let c = this.byItem.get(itemId);
    if (!c) {
      c = {
        itemId,
        popularity: 0,
        coocSum: 0,
        coocHits: 0,
        coocConfidence: 0,
        coocSeedCount: 0,
        similarity: 0,
        fromHistory: false,
        trending: 0,
        freshness: 0,
        categoryAffinity: 0,
        popular: false,
        inPageCategory: false,
        newArrival: false,
        trained: -Infinity,
        ease: 0,
        knn: 0,
      };
      this.byItem.set(itemId, c);
    }
    return c;
  }

  get(itemId: string): Candidate | undefined {
    return this.byItem.get(itemId);
  }

  all(): Candidate[] {
    return [...this.byItem.values()];
  }

  /**
   * At most `limit` candidates, the most promising first: reading and scoring every one of several hundred
   * costs more than it brings. The trained tables' best first (they score the user's whole history, and
   * beat every heuristic here offline) up to `trainedShare` of the list; then personal evidence (used with
   * the seeds, similar to them, the user's categories), the page's context, then popularity.
   */
  shortlist(limit: number, trainedShare: number): Candidate[] {
    const all = this.all();
    if (all.length <= limit) return all;
    const trained = all
      .filter((c) => c.trained > -Infinity)
      .sort((a, b) => b.trained - a.trained || (a.itemId < b.itemId ? -1 : 1))
      .slice(0, Math.ceil(limit * trainedShare));
    const taken = new Set(trained);
    const scored = all.filter((c) => !taken.has(c)).map((c) => ({ c, score: retrievalScore(c) }));
    scored.sort((a, b) => b.score - a.score || b.c.popularity - a.c.popularity);
    return [...trained, ...scored.slice(0, limit - trained.length).map((s) => s.c)];
  }
}

/** Cheap evidence that a candidate is for this user, before any feature is read. */
function retrievalScore(c: Candidate): number {
  return (
    c.coocConfidence +
    Math.log1p(c.coocSum) +
    c.similarity +
    (c.affinityCategory === undefined ? 0 : 0.5) +
    (c.inPageCategory ? 0.5 : 0) +
    c.trending * 0.25 +
    c.freshness * 0.25
  );
}

/** Helper for generators that take a list as is. */
export function eachOf(
  list: readonly ScoredItem[],
  pool: CandidatePool,
  fill: (c: Candidate, s: number) => void
): void {
  for (const { itemId, score } of list) {
    const c = pool.add(itemId);
    if (c) fill(c, score);
  }
}
