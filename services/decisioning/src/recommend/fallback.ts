import type {
  CandidateSource,
  ItemAttributes,
  RecommendRequest,
  RecommendResult,
  ScoredItem,
  UserConsent,
  UserHistory,
} from './recommend';

/**
 * What Recommend answers when the full pipeline cannot answer in time: the tenant's popular items as last
 * read on this replica (stale beats nothing), non-personal, minus what the request excludes. A shop's page
 * always gets an answer; the response says it is a fallback and why.
 */
export type FallbackReason = 'features_unavailable' | 'deadline' | 'model_unavailable' | 'no_consent';

/** A candidate source that remembers each tenant's latest popular list, for fallback answers. */
export class LastKnownPopular implements CandidateSource {
  private readonly lists = new Map<string, ScoredItem[]>();

  constructor(private readonly inner: CandidateSource) {}

  /** The tenant's popular items as last read here; empty before the first read. */
  get(tenantId: string): ScoredItem[] {
    return this.lists.get(tenantId) ?? [];
  }

  async popular(tenantId: string, limit: number): Promise<ScoredItem[]> {
    const list = await this.inner.popular(tenantId, limit);
    const known = this.lists.get(tenantId);
    if (!known || list.length >= known.length) this.lists.set(tenantId, list);
    return list;
  }

  consent(tenantId: string, userId: string): Promise<UserConsent> {
    return this.inner.consent(tenantId, userId);
  }

  userHistory(tenantId: string, userId: string): Promise<UserHistory> {
    return this.inner.userHistory(tenantId, userId);
  }

  trending(tenantId: string, limit: number): Promise<ScoredItem[]> {
    return this.inner.trending(tenantId, limit);
  }

  newArrivals(tenantId: string, limit: number): Promise<ScoredItem[]> {
    return this.inner.newArrivals(tenantId, limit);
  }

  similarItems(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    return this.inner.similarItems(tenantId, itemIds, limitEach);
  }

  popularInCategory(tenantId: string, category: string, limit: number): Promise<ScoredItem[]> {
    return this.inner.popularInCategory(tenantId, category, limit);
  }

  cooccurring(tenantId: string, itemIds: readonly string[], limitEach: number): Promise<ScoredItem[][]> {
    return this.inner.cooccurring(tenantId, itemIds, limitEach);
  }

  interactions(tenantId: string, itemIds: readonly string[]): Promise<(number | null)[]> {
    return this.inner.interactions(tenantId, itemIds);
  }

  itemAttributes(tenantId: string, itemIds: readonly string[]): Promise<(ItemAttributes | undefined)[]> {
    return this.inner.itemAttributes(tenantId, itemIds);
  }
}

export function nonPersonalAnswer(request: RecommendRequest, popular: readonly ScoredItem[]): RecommendResult {
  const excluded = new Set(request.exclude);
  if (request.currentItemId) excluded.add(request.currentItemId);
  return {
    items: popular
      .filter((p) => !excluded.has(p.itemId))
      .slice(0, request.n)
      .map((p) => ({ itemId: p.itemId, score: p.score, reasons: [{ code: 'popular' }], features: [] })),
    modelVersion: '',
    rankedBy: 'none',
    personalized: false,
    consented: true,
  };
}

export const DEADLINE = Symbol('deadline');

/** The work's result, or DEADLINE if it takes longer than `ms`; a late result or failure is dropped. */
export function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | typeof DEADLINE> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(DEADLINE), Math.max(0, ms));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: Error) => {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}
