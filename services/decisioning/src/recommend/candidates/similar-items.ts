import type { ScoredItem } from '../recommend';
import type { CandidatePool } from './pool';

/**
 * Items the published similarity table (item-kNN, or a trainer's embeddings) puts next to the seeds. A
 * candidate keeps its strongest similarity and the seed behind it ("similar to X"). Unlike co-occurrence
 * counts, similarity is normalised by the table's maker, so it is used as is.
 */
export function addSimilar(
  pool: CandidatePool,
  seeds: readonly string[],
  lists: readonly (readonly ScoredItem[])[],
  history: ReadonlySet<string>
): void {
  seeds.forEach((seed, i) => {
    const fromHistory = history.has(seed);
    for (const { itemId, score } of lists[i] ?? []) {
      const c = pool.add(itemId);
      if (!c) continue;
      c.fromHistory ||= fromHistory;
      if (score > c.similarity) {
        c.similarity = score;
        c.similarSeed = seed;
      }
    }
  });
}
