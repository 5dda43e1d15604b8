/**
 * Top-k ranking metrics over full rankings (no sampled negatives): for each test user, the list a
 * recommender returned against the items the user went on to interact with.
 */
export interface RankingMetrics {
  users: number;
  precision: number;
  recall: number;
  ndcg: number;
  hitRate: number;
  /** Share of the catalog recommended to at least one user. */
  coverage: number;
}

export function rankingMetrics(
  lists: Map<string, readonly string[]>,
  truth: Map<string, ReadonlySet<string>>,
  k: number,
  catalogSize: number
): RankingMetrics {
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let hits = 0;
  const recommended = new Set<string>();
  for (const [user, relevant] of truth) {
    const list = (lists.get(user) ?? []).slice(0, k);
    list.forEach((item) => recommended.add(item));
    let found = 0;
    let dcg = 0;
    list.forEach((item, rank) => {
      if (relevant.has(item)) {
        found++;
        dcg += 1 / Math.log2(rank + 2);
      }
    });
    let ideal = 0;
    for (let rank = 0; rank < Math.min(k, relevant.size); rank++) ideal += 1 / Math.log2(rank + 2);
    precision += found / k;
    recall += found / relevant.size;
    ndcg += ideal > 0 ? dcg / ideal : 0;
    if (found > 0) hits++;
  }
  const users = truth.size;
  const mean = (x: number): number => (users === 0 ? 0 : x / users);
  return {
    users,
    precision: mean(precision),
    recall: mean(recall),
    ndcg: mean(ndcg),
    hitRate: mean(hits),
    coverage: catalogSize === 0 ? 0 : recommended.size / catalogSize,
  };
}
