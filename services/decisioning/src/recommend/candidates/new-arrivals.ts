import type { ScoredItem } from '../recommend';
import { FRESH_DAYS, type CandidatePool } from './pool';

const DAY_MS = 86_400_000;

/** 1 for an item that arrived just now, falling linearly to 0 at FRESH_DAYS old (and for no arrival time). */
export function freshness(arrivedAtMs: number | undefined, nowMs: number): number {
  if (arrivedAtMs === undefined) return 0;
  const ageDays = Math.max(0, nowMs - arrivedAtMs) / DAY_MS;
  return Math.max(0, 1 - ageDays / FRESH_DAYS);
}

/**
 * The catalog's newest items (score: arrival time), those still fresh: new items have no history yet, so
 * without this generator nothing would ever show them.
 */
export function addNewArrivals(pool: CandidatePool, newest: readonly ScoredItem[], nowMs: number): void {
  for (const { itemId, score: arrivedAtMs } of newest) {
    const fresh = freshness(arrivedAtMs, nowMs);
    if (fresh === 0) break; // newest first: the rest are older still
    const c = pool.add(itemId);
    if (!c) continue;
    c.newArrival = true;
    c.freshness = fresh;
  }
}
