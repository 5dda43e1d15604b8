import { Counter } from 'prom-client';

import type { ServedVectors } from '@dmp/features';
import { unary, type DecisioningServiceHandlers, type RecommendedItem } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError, UnavailableError, UnimplementedError, type Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import { newDecisionId } from './decision-id';
import { DEADLINE, LastKnownPopular, nonPersonalAnswer, withinBudget, type FallbackReason } from './fallback';
import {
  FEATURE_NAMES,
  recommend,
  type CandidateSource,
  type Ranker,
  type RecommendRequest,
  type RecommendResult,
  type Recommendation,
} from './recommender';

export const MAX_N = 100;
export const DEFAULT_N = 10;
export const MAX_EXCLUDED = 1000;

// User and item ids: 1 to 256 visible ASCII characters, as intake accepts them.
const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;

const recommendations = new Counter({
  name: 'decisioning_recommendations_total',
  help: 'Recommend answers, by whether the user’s history shaped them, whether the model ranked them, and fallback.',
  labelNames: ['personalized', 'ranked_by', 'fallback'],
  registers: [metricsRegistry],
});

const FALLBACK_REASONS = {
  features_unavailable: 'FALLBACK_REASON_FEATURES_UNAVAILABLE',
  deadline: 'FALLBACK_REASON_DEADLINE',
  model_unavailable: 'FALLBACK_REASON_MODEL_UNAVAILABLE',
} as const;

export interface DecisioningDeps {
  tenants: TenantDirectory;
  source: CandidateSource;
  /** The most a Recommend may take before it answers from the fallback (the caller's deadline if sooner). */
  deadlineMs: number;
  ranker: Ranker;
  /** Where the feature vectors of each decision go (the FEATURE_LOG stream). */
  logServed: (served: ServedVectors) => void;
  log: Logger;
}

export function decisioningHandlers({
  tenants,
  source: candidates,
  deadlineMs,
  ranker,
  logServed,
  log,
}: DecisioningDeps): DecisioningServiceHandlers {
  const source = new LastKnownPopular(candidates);
  return {
    Recommend: unary(async (request, call) => {
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
      const recommendRequest: RecommendRequest = {
        tenantId: request.tenantId,
        userId: request.userId,
        decisionId,
        n,
        exclude: new Set(request.excludeItemIds),
        ...(currentItemId !== '' && { currentItemId }),
      };
      // The budget: the configured one, or the caller's deadline (less a margin to answer) if sooner.
      const callerDeadline = Number(call.getDeadline());
      const budgetMs = Number.isFinite(callerDeadline)
        ? Math.min(deadlineMs, callerDeadline - Date.now() - 20)
        : deadlineMs;
      let result: RecommendResult;
      let fallback: FallbackReason | undefined;
      try {
        const outcome = await withinBudget(
          recommend(recommendRequest, source, ranker, (error) =>
            log.error('ranking model failed; serving the heuristic order', { error })
          ),
          budgetMs
        );
        if (outcome === DEADLINE) {
          fallback = 'deadline';
          result = nonPersonalAnswer(recommendRequest, source.get(request.tenantId));
        } else {
          result = outcome;
          if (result.rankedBy === 'fallback') fallback = 'model_unavailable';
        }
      } catch (error) {
        if (!(error instanceof UnavailableError)) throw error;
        fallback = 'features_unavailable';
        result = nonPersonalAnswer(recommendRequest, source.get(request.tenantId));
      }
      if (fallback && fallback !== 'model_unavailable') {
        log.warn('Recommend answered from the fallback', { tenant: request.tenantId, reason: fallback, budgetMs });
      }
      recommendations.inc({
        personalized: String(result.personalized),
        ranked_by: result.rankedBy,
        fallback: fallback ?? 'none',
      });
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
        fallback: fallback ? FALLBACK_REASONS[fallback] : 'FALLBACK_REASON_UNSPECIFIED',
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
