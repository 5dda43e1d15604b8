import type { ItemNeighbours } from '@dmp/scorer';

import type { CandidatePool } from './pool';

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
 * What the trained tables say of every item for one user, from the user's whole history (not the last few
 * items): the sum of the weights from the items they used, as EASE^R and item-kNN score. Two passes over at
 * most 1,000 history items × each item's neighbours, into dense arrays: a fraction of a millisecond for
 * catalogs of thousands, and the same arrays give every candidate its features, whatever brought it in.
 */
export class TrainedScores {
  private readonly ease: Float32Array | undefined;
  private readonly knn: Float32Array | undefined;
  /** Per item of the primary table, its strongest single weight from the history and that history item. */
  private readonly strongest: Float32Array | undefined;
  private readonly from: Int32Array | undefined;

  constructor(
    private readonly tables: TrainedTables,
    history: readonly string[]
  ) {
    const primary = tables.ease ?? tables.knn;
    const score = (table: ItemNeighbours | undefined, keepSources: boolean): Float32Array | undefined => {
      if (!table || history.length === 0) return undefined;
      const indexes: number[] = [];
      for (const item of history) {
        const i = table.indexOf(item);
        if (i !== undefined) indexes.push(i);
      }
      if (indexes.length === 0) return undefined;
      const scores = new Float32Array(table.size);
      if (keepSources) table.accumulate(indexes, scores, this.strongest, this.from);
      else table.accumulate(indexes, scores);
      return scores;
    };
    if (primary && history.length > 0) {
      this.strongest = new Float32Array(primary.size).fill(-Infinity);
      this.from = new Int32Array(primary.size).fill(-1);
    }
    this.ease = score(tables.ease, tables.ease === primary);
    this.knn = score(tables.knn, tables.knn === primary);
  }

  /** Whether the user's history told the tables anything. */
  get any(): boolean {
    return this.ease !== undefined || this.knn !== undefined;
  }

  easeOf(itemId: string): number {
    return valueOf(this.tables.ease, this.ease, itemId);
  }

  knnOf(itemId: string): number {
    return valueOf(this.tables.knn, this.knn, itemId);
  }

  /**
   * Adds the `limit` best items by the primary table's score (EASE^R when there is one) to the pool; the pool
   * leaves out what the user already has. Each carries the history item that contributed most.
   */
  addBest(pool: CandidatePool, limit: number): void {
    const table = this.tables.ease ?? this.tables.knn;
    const scores = this.tables.ease ? this.ease : this.knn;
    if (!table || !scores) return;
    // A bounded selection: a heap would win only for catalogs far larger than one call's candidates.
    const order = topIndexes(scores, limit * 4);
    let added = 0;
    for (const i of order) {
      if (added === limit) break;
      const c = pool.add(table.itemIds[i]!);
      if (!c) continue;
      added++;
      c.trained = scores[i]!;
      c.fromHistory = true;
      const source = this.from?.[i] ?? -1;
      if (source >= 0) c.trainedSeed = table.itemIds[source];
    }
  }
}

function valueOf(table: ItemNeighbours | undefined, scores: Float32Array | undefined, itemId: string): number {
  if (!table || !scores) return 0;
  const i = table.indexOf(itemId);
  return i === undefined ? 0 : scores[i]!;
}

/** Indexes of the `k` largest scores, largest first, ties by index (deterministic). */
export function topIndexes(scores: Float32Array, k: number): number[] {
  if (k <= 0) return [];
  // The k-th largest as a threshold first, then only what clears it is sorted: O(n + k log k) in practice.
  const kept: number[] = [];
  let threshold = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (kept.length < k || s > threshold) {
      kept.push(i);
      if (kept.length >= 2 * k) {
        kept.sort((a, b) => scores[b]! - scores[a]! || a - b);
        kept.length = k;
        threshold = scores[kept[k - 1]!]!;
      }
    }
  }
  kept.sort((a, b) => scores[b]! - scores[a]! || a - b);
  if (kept.length > k) kept.length = k;
  return kept;
}
