import type { ItemNeighbours } from '@dmp/scorer';

import type { Candidate, CandidatePool } from './pool';

/**
 * The item-to-item tables the trainer fitted to the tenant's interactions (services/trainer), served with
 * the ranking model's version: EASE^R's weights and item-kNN similarities. Either may be absent.
 */
export interface TrainedTables {
  ease?: ItemNeighbours;
  knn?: ItemNeighbours;
}

export const NO_TABLES: TrainedTables = {};

/**
 * What the trained tables say of the items for one user, from the user's whole history (not the last few
 * items): the sum of the weights from the items they used, as EASE^R and item-kNN score. The primary table
 * (EASE^R, else item-kNN) scores every item, into one dense array, to find the best; the other only the
 * shortlisted candidates, whichever way costs less. Both are what the model and the log see as `ease`, `knn`.
 */
export class TrainedScores {
  private readonly primary: ItemNeighbours | undefined;
  private readonly secondary: ItemNeighbours | undefined;
  private readonly primaryHistory: number[] = [];
  private readonly secondaryHistory: number[] = [];
  private readonly scores: Float32Array | undefined;

  constructor(
    private readonly tables: TrainedTables,
    history: readonly string[]
  ) {
    this.primary = tables.ease ?? tables.knn;
    this.secondary = tables.ease ? tables.knn : undefined;
    const indexes = (table: ItemNeighbours | undefined, into: number[]): void => {
      if (!table) return;
      for (const item of history) {
        const i = table.indexOf(item);
        if (i !== undefined) into.push(i);
      }
    };
    indexes(this.primary, this.primaryHistory);
    indexes(this.secondary, this.secondaryHistory);
    if (this.primary && this.primaryHistory.length > 0) {
      this.scores = new Float32Array(this.primary.size);
      this.primary.accumulate(this.primaryHistory, this.scores);
    }
  }

  /** Whether the user's history told the tables anything. */
  get any(): boolean {
    return this.scores !== undefined;
  }

  /**
   * Adds the `limit` best items by the primary table's score to the pool (which leaves out what the user
   * already has).
   */
  addBest(pool: CandidatePool, limit: number): void {
    const { primary, scores } = this;
    if (!primary || !scores) return;
    let added = 0;
    for (const i of topIndexes(scores, limit * 4)) {
      if (added === limit) break;
      const c = pool.add(primary.itemIds[i]!);
      if (!c) continue;
      added++;
      c.trained = scores[i]!;
      c.fromHistory = true;
    }
  }

  /** Gives every candidate its `ease` and `knn` features. */
  rate(candidates: readonly Candidate[]): void {
    const primaryKind = this.tables.ease ? 'ease' : 'knn';
    const { primary, secondary, scores } = this;
    for (const c of candidates) {
      const i = primary?.indexOf(c.itemId);
      c[primaryKind] = scores && i !== undefined ? scores[i]! : 0;
    }
    if (!secondary || this.secondaryHistory.length === 0) return;
    // A few candidates: their scores alone (history × a lookup each); many: every item's, as the primary.
    const perCandidate = this.secondaryHistory.length * (secondary.header.layout === 'dense' ? 1 : 8);
    const everyItem = this.secondaryHistory.length * (secondary.header.entries / Math.max(secondary.size, 1));
    let all: Float32Array | undefined;
    if (candidates.length * perCandidate > everyItem) {
      all = new Float32Array(secondary.size);
      secondary.accumulate(this.secondaryHistory, all);
    }
    for (const c of candidates) {
      const i = secondary.indexOf(c.itemId);
      c.knn = i === undefined ? 0 : all ? all[i]! : secondary.scoreOf(i, this.secondaryHistory);
    }
  }

  /** The history item that points to `itemId` most strongly in the primary table: "because you used X". */
  sourceOf(itemId: string): string | undefined {
    const i = this.primary?.indexOf(itemId);
    if (i === undefined || !this.primary) return undefined;
    const j = this.primary.strongestTo(i, this.primaryHistory);
    return j < 0 ? undefined : this.primary.itemIds[j];
  }
}

/** Indexes of the `k` largest scores, largest first, ties by index (deterministic). */
export function topIndexes(scores: Float32Array, k: number): number[] {
  if (k <= 0) return [];
  // The k-th largest by quickselect on a copy, then only what clears it is sorted: O(n + k log k). Sorting
  // everything with a comparator, or keeping a running top 2k, cost ~10 times more on 2,000 items.
  const threshold = k < scores.length ? kthLargest(scores.slice(), k) : -Infinity;
  const kept: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold) kept.push(i);
  if (scores.length >= INDEX_SPAN) {
    kept.sort((a, b) => scores[b]! - scores[a]! || a - b);
  } else {
    // One number per index that orders as (score, then the lower index) does, for the native numeric sort.
    const keys = new Float64Array(kept.length);
    for (let j = 0; j < kept.length; j++)
      keys[j] = orderedBits(scores[kept[j]!]!) * INDEX_SPAN + (INDEX_SPAN - 1 - kept[j]!);
    keys.sort();
    for (let j = 0; j < kept.length; j++) kept[j] = INDEX_SPAN - 1 - (keys[kept.length - 1 - j]! % INDEX_SPAN);
  }
  if (kept.length > k) kept.length = k;
  return kept;
}

/** Indexes below this fit beside a 32-bit score in a double's 53 exact bits. */
const INDEX_SPAN = 2 ** 21;

const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);

/** A float32's bits as an unsigned integer that orders as the floats do (−0 taken as 0). */
function orderedBits(score: number): number {
  floatView[0] = score + 0;
  const bits = bitsView[0]!;
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

/** The k-th largest value (1-based) of `values`, which it reorders (Hoare's selection). */
function kthLargest(values: Float32Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target]!;
}
