import { Counter } from 'prom-client';

import type { ServedVectors } from '@dmp/features';
import { unary, type DecisioningServiceHandlers, type RecommendedItem } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError, UnimplementedError, type Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import { newDecisionId } from './decision-id';
import { FEATURE_NAMES, recommend, type CandidateSource, type Ranker, type Recommendation } from './recommender';

export const MAX_N = 100;
export const DEFAULT_N = 10;
export const MAX_EXCLUDED = 1000;

// User and item ids: 1 to 256 visible ASCII characters, as intake accepts them.
const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;

const recommendations = new Counter({
  name: 'decisioning_recommendations_total',
  help: 'Recommend answers, by whether the user’s history shaped them and whether the model ranked them.',
  labelNames: ['personalized', 'ranked_by'],
  registers: [metricsRegistry],
});

export interface DecisioningDeps {
  tenants: TenantDirectory;
  source: CandidateSource;
  ranker: Ranker;
  /** Where the feature vectors of each decision go (the FEATURE_LOG stream). */
  logServed: (served: ServedVectors) => void;
  log: Logger;
}

export function decisioningHandlers({
  tenants,
  source,
  ranker,
  logServed,
  log,
}: DecisioningDeps): DecisioningServiceHandlers {
  return {
    Recommend: unary(async (request) => {
      tenants.require(request.tenantId);
      checkId('user_id', request.userId);
      const n = request.n === 0 ? DEFAULT_N : request.n;
      if (!Number.isInteger(n) || n < 1 || n > MAX_N)
        throw new InvalidArgumentError('n', `must be between 1 and ${MAX_N}, got ${request.n}`);
      if (request.excludeItemIds.length > MAX_EXCLUDED) {
        throw new InvalidArgumentError(
          'exclude_item_ids',
          `holds ${request.excludeItemIds.length} ids; at most ${MAX_EXCLUDED}`
        );
      }
      const currentItemId = request.context?.currentItemId ?? '';
      if (currentItemId !== '') checkId('context.current_item_id', currentItemId);

      const decisionId = newDecisionId();
      const result = await recommend(
        {
          tenantId: request.tenantId,
          userId: request.userId,
          decisionId,
          n,
          exclude: new Set(request.excludeItemIds),
          ...(currentItemId !== '' && { currentItemId }),
        },
        source,
        ranker,
        (error) => log.error('ranking model failed; serving the heuristic order', { error })
      );
      recommendations.inc({ personalized: String(result.personalized), ranked_by: result.rankedBy });
      if (result.items.length > 0) {
        logServed({
          decisionId,
          tenantId: request.tenantId,
          userId: request.userId,
          decisionKind: 'recommend',
          modelVersion: result.modelVersion,
          servedAtMs: Date.now(),
          featureNames: FEATURE_NAMES,
          items: result.items.map((item) => ({ itemId: item.itemId, score: item.score, values: item.features })),
        });
      }
      return {
        decisionId,
        items: result.items.map(toProto),
        modelVersion: result.modelVersion,
        personalized: result.personalized,
      };
    }),
    NextContent: unary(() => Promise.reject(new UnimplementedError('NextContent is not available in this version'))),
    Decide: unary(() => Promise.reject(new UnimplementedError('Decide is not available in this version'))),
  };
}

function checkId(field: string, value: string): void {
  if (value === '') throw new InvalidArgumentError(field, 'is required');
  if (!ID_PATTERN.test(value)) throw new InvalidArgumentError(field, 'must be 1-256 visible ASCII characters');
}

function toProto(item: Recommendation): RecommendedItem {
  return {
    itemId: item.itemId,
    score: item.score,
    reasons: item.reasons.map((reason) =>
      reason.code === 'co_occurrence'
        ? { code: 'REASON_CODE_CO_OCCURRENCE', sourceItemId: reason.sourceItemId }
        : { code: 'REASON_CODE_POPULAR' }
    ),
  };
}
