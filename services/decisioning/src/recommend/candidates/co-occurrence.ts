import type { ScoredItem } from '../recommend';
import type { CandidatePool } from './pool';

/**
 * Items used by the same users as the seeds (the user's recent items, and the page's item): for each
 * candidate the sum of its co-occurrence counts, how many seeds it goes with, and the strongest share of a
 * seed's users that also used it (confidence). The strongest seed is the "because you viewed X".
 *
 * `lists[i]` and `seedCounts[i]` belong to `seeds[i]`; `history` tells the user's own seeds from the page's.
 */
export function addCoOccurring(
  pool: CandidatePool,
  seeds: readonly string[],
  lists: readonly (readonly ScoredItem[])[],
  seedCounts: readonly (number | null)[],
  history: ReadonlySet<string>
): void {
  seeds.forEach((seed, i) => {
    const seedCount = Math.max(seedCounts[i] ?? 0, 1);
    const fromHistory = history.has(seed);
    for (const { itemId, score } of lists[i] ?? []) {
      const c = pool.add(itemId);
      if (!c) continue;
      c.coocSum += score;
      c.coocHits += 1;
      c.fromHistory ||= fromHistory;
      c.coocConfidence = Math.max(c.coocConfidence, Math.min(1, score / seedCount));
      if (score > c.coocSeedCount) {
        c.coocSeedCount = score;
        c.coocSeed = seed;
      }
    }
  });
}
