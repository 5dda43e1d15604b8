import type { ScoredItem } from '../recommend';
import { eachOf, type CandidatePool } from './pool';

/** The tenant's most used items of all time; their interaction count is every candidate's popularity. */
export function addPopular(pool: CandidatePool, popular: readonly ScoredItem[]): void {
  eachOf(popular, pool, (c, count) => {
    c.popular = true;
    c.popularity = count;
  });
}

/** The page category's most used items of the week: for a user without history, the page says the most. */
export function addPopularInCategory(pool: CandidatePool, popular: readonly ScoredItem[]): void {
  eachOf(popular, pool, (c) => (c.inPageCategory = true));
}
