import type { ScoredItem } from '../recommend';
import type { Candidate, CandidatePool } from './pool';

/**
 * The user's favourite categories (by decayed interactions) and what is popular in them: a user who
 * keeps coming back to running shoes gets the running shoes others buy, even before any co-occurrence
 * ties them to the user's own items.
 */
export class CategoryAffinity {
  private readonly share = new Map<string, number>();

  /** `categories`: the user's categories with decayed interaction counts, strongest first. */
  constructor(private readonly categories: readonly ScoredItem[]) {
    const total = categories.reduce((sum, c) => sum + Math.max(c.score, 0), 0);
    if (total > 0) for (const c of categories) this.share.set(c.itemId, Math.max(c.score, 0) / total);
  }

  /** The categories to draw candidates from: the user's strongest `limit`. */
  favourites(limit: number): string[] {
    return this.categories.slice(0, limit).map((c) => c.itemId);
  }

  /** Adds each favourite category's popular items (`popular[i]` belongs to `favourites(…)[i]`). */
  addPopularIn(pool: CandidatePool, favourites: readonly string[], popular: readonly (readonly ScoredItem[])[]): void {
    favourites.forEach((category, i) => {
      for (const { itemId } of popular[i] ?? []) {
        const c = pool.add(itemId);
        if (c && c.affinityCategory === undefined) c.affinityCategory = category;
      }
    });
  }

  /** Sets the candidate's share of the user's interest in its category (0 for none or unknown). */
  rate(c: Candidate, category: string | undefined): void {
    c.categoryAffinity = category === undefined ? 0 : (this.share.get(category) ?? 0);
  }
}
