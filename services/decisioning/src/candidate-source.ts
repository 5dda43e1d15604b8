import type { FeatureReader } from '@dmp/features';
import { UnavailableError } from '@dmp/runtime';

import type { CandidateSource } from './recommender';

/**
 * The recommender's reads, served by the feature store's Redis in process (no gRPC hop). A failed read
 * means the feature store is unreachable or slow: callers see UNAVAILABLE, not INTERNAL.
 */
export function redisCandidateSource(reader: FeatureReader): CandidateSource {
  const guard = async <T>(read: Promise<T>): Promise<T> => {
    try {
      return await read;
    } catch (error) {
      throw new UnavailableError('features are unavailable; retry shortly', { cause: error });
    }
  };
  return {
    recentItems: (tenantId, userId, limit) => guard(reader.recentItems(tenantId, userId, limit)),
    popular: (tenantId, limit) => guard(reader.popular(tenantId, limit)),
    cooccurring: (tenantId, itemIds, limitEach) => guard(reader.cooccurring(tenantId, itemIds, limitEach)),
    interactions: (tenantId, itemIds) => guard(reader.interactions(tenantId, itemIds)),
  };
}
