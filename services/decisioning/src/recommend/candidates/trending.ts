import type { ScoredItem } from '../recommend';
import { eachOf, type CandidatePool } from './pool';

/**
 * What is hot now: the items with the most interactions of the last hours (a 3-hour half-life). Each
 * gets its score as a share of the hottest one's, so the feature means the same whatever the traffic.
 */
export function addTrending(pool: CandidatePool, trending: readonly ScoredItem[]): void {
  const hottest = trending[0]?.score ?? 0;
  if (!(hottest > 0)) return;
  eachOf(trending, pool, (c, score) => (c.trending = score / hottest));
}
