import { Counter } from 'prom-client';

import type { FeatureReader, ServedVectors } from '@dmp/features';
import { unary, type DecisioningServiceHandlers, type RecommendedItem } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError, UnavailableError, type Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import { decide, type DecideRequest, type DecideResult, type DecideSources } from './campaigns/decide';
import { newDecisionId } from './decision-id';
import type { DecisionLog } from './decision-log';
import { nextContent, type ContentSource } from './recommend/next-content';
import { parseRules, type RulesStore } from './recommend/rules';
import { DEADLINE, LastKnownPopular, nonPersonalAnswer, withinBudget, type FallbackReason } from './recommend/fallback';
import {
  FEATURE_NAMES,
  recommend,
  type CandidateSource,
  type Ranker,
  type RecommendRequest,
  type Recommendation,
} from './recommend/recommend';

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

const decisions = new Counter({
  name: 'decisioning_decisions_total',
  help: 'Decide answers, by outcome: offer, or why there was none (none_eligible, capped, holdout, caps_unavailable).',
  labelNames: ['outcome', 'contextual_only'],
  registers: [metricsRegistry],
});

const NO_OFFER_REASONS = {
  none_eligible: 'NO_OFFER_REASON_NONE_ELIGIBLE',
  capped: 'NO_OFFER_REASON_CAPPED',
  holdout: 'NO_OFFER_REASON_HOLDOUT',
  caps_unavailable: 'NO_OFFER_REASON_CAPS_UNAVAILABLE',
} as const;

// Placements and channels: lower-case names, as campaigns list them.
const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const FALLBACK_REASONS = {
  features_unavailable: 'FALLBACK_REASON_FEATURES_UNAVAILABLE',
  deadline: 'FALLBACK_REASON_DEADLINE',
  model_unavailable: 'FALLBACK_REASON_MODEL_UNAVAILABLE',
  no_consent: 'FALLBACK_REASON_NO_CONSENT',
} as const;

export interface DecisioningDeps {
  tenants: TenantDirectory;
  /** The profile a request's user id belongs to (the identity graph): an `anon:` visitor who logged in is the user. */
  profiles: Pick<FeatureReader, 'profileOf'>;
  source: CandidateSource;
  /** NextContent's reads (series, finished items, watched-next). */
  content: ContentSource;
  /** The tenants' business rules (blocked categories, diversity, per-surface history). */
  rules: RulesStore;
  /** Decide's campaigns, profiles, propensities and counters. */
  campaigns: DecideSources;
  /** Where every campaign decision is logged (the DECISION_LOG stream). */
  decisionLog: DecisionLog;
  /** The most a Recommend may take before it answers from the fallback (the caller's deadline if sooner). */
  deadlineMs: number;
  ranker: Ranker;
  /** Where the feature vectors of each decision go (the FEATURE_LOG stream). */
  logServed: (served: ServedVectors) => void;
  log: Logger;
}

export function decisioningHandlers({
  tenants,
  profiles,
  source: candidates,
  content,
  rules,
  campaigns,
  decisionLog,
  deadlineMs,
  ranker,
  logServed,
  log,
}: DecisioningDeps): DecisioningServiceHandlers {
  const source = new LastKnownPopular(candidates);
  let lastFallbackWarnMs = 0;
  let lastWarnMs = 0;
  /** At most one line per 10 s: during an outage every call has the same story. */
  const warnThrottled = (message: string, fields: Record<string, unknown>): void => {
    if (Date.now() - lastWarnMs < 10_000) return;
    lastWarnMs = Date.now();
    log.warn(message, fields);
  };

  /** The budget of a call: the configured one, or the caller's deadline (less a margin to answer) if sooner. */
  const budgetOf = (call: { getDeadline(): Date | number }): number => {
    const callerDeadline = Number(call.getDeadline());
    return Number.isFinite(callerDeadline) ? Math.min(deadlineMs, callerDeadline - Date.now() - 20) : deadlineMs;
  };

  /** The work's answer, or the fallback's when features fail or time runs out (logged, and said in the answer). */
  const answerInTime = async <T>(
    budgetMs: number,
    work: Promise<T>,
    cheaper: () => T
  ): Promise<{ items: T; fallback?: FallbackReason }> => {
    let fallback: FallbackReason;
    try {
      const outcome = await withinBudget(work, budgetMs);
      if (outcome !== DEADLINE) return { items: outcome };
      fallback = 'deadline';
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      fallback = 'features_unavailable';
    }
    // At most one line per 10 s: while Redis is down every call falls back (decisioning_recommendations_total
    // counts them all), and a log line per call would cost more than the answer.
    if (Date.now() - lastFallbackWarnMs >= 10_000) {
      lastFallbackWarnMs = Date.now();
      log.warn('answered from the fallback', { reason: fallback, budgetMs });
    }
    return { items: cheaper(), fallback };
  };

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
      if (request.surface.length > 64) throw new InvalidArgumentError('surface', 'at most 64 characters');
      const pageCategory = request.context?.pageCategory ?? '';
      if (pageCategory.length > 512) throw new InvalidArgumentError('context.page_category', 'at most 512 characters');

      const decisionId = newDecisionId();
      // Redis down: the reads that follow fail too, and the answer comes from the fallback.
      const userId = await profiles.profileOf(request.tenantId, request.userId).catch(() => request.userId);
      const recommendRequest: RecommendRequest = {
        tenantId: request.tenantId,
        userId,
        decisionId,
        n,
        exclude: new Set(request.excludeItemIds),
        ...(currentItemId !== '' && { currentItemId }),
        ...(pageCategory !== '' && { pageCategory }),
        ...(request.surface !== '' && { surface: request.surface }),
        rules: rules.get(request.tenantId),
      };
      const answer = await answerInTime(
        budgetOf(call),
        recommend(recommendRequest, source, ranker, (error) =>
          log.error('ranking model failed; serving the heuristic order', { error })
        ),
        () => nonPersonalAnswer(recommendRequest, source.get(request.tenantId))
      );
      const result = answer.items;
      let fallback = answer.fallback;
      if (!fallback && !result.consented) fallback = 'no_consent';
      if (!fallback && result.rankedBy === 'fallback') fallback = 'model_unavailable';
      recommendations.inc({
        personalized: String(result.personalized),
        ranked_by: result.rankedBy,
        fallback: fallback ?? 'none',
      });
      // A fallback answer was not made from features: nothing to learn from its (empty) vectors. Without
      // consent to personalization nothing about the user is kept either.
      if (result.items.length > 0 && !answer.fallback && result.consented) {
        logServed({
          decisionId,
          tenantId: request.tenantId,
          userId,
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
    NextContent: unary(async (request, call) => {
      tenants.require(request.tenantId);
      checkId('user_id', request.userId);
      if (request.currentItemId !== '') checkId('current_item_id', request.currentItemId);
      const n = request.n === 0 ? DEFAULT_N : request.n;
      if (!Number.isInteger(n) || n < 1 || n > MAX_N)
        throw new InvalidArgumentError('n', `must be between 1 and ${MAX_N}, got ${request.n}`);
      const next = {
        tenantId: request.tenantId,
        userId: await profiles.profileOf(request.tenantId, request.userId).catch(() => request.userId),
        n,
        ...(request.currentItemId !== '' && { currentItemId: request.currentItemId }),
      };
      const answer = await answerInTime(budgetOf(call), nextContent(next, content), () => ({
        items: nonPersonalAnswer({ ...next, decisionId: '', exclude: new Set<string>() }, source.get(request.tenantId))
          .items,
        consented: true,
      }));
      const fallback = answer.fallback ?? (answer.items.consented ? undefined : 'no_consent');
      return {
        decisionId: newDecisionId(),
        items: answer.items.items.map(toProto),
        fallback: fallback ? FALLBACK_REASONS[fallback] : 'FALLBACK_REASON_UNSPECIFIED',
      };
    }),
    Decide: unary(async (request) => {
      tenants.require(request.tenantId);
      const decisionId = newDecisionId();
      const decideRequest = toDecideRequest(request, decisionId);
      if (decideRequest.subjectId !== '')
        decideRequest.subjectId = await campaigns.profileOf(request.tenantId, decideRequest.subjectId);
      let result: DecideResult;
      try {
        result = await decide(decideRequest, campaigns);
      } catch (error) {
        if (!(error instanceof UnavailableError)) throw error;
        // Fail closed: an offer whose caps cannot be checked could go over them.
        decisions.inc({ outcome: 'caps_unavailable', contextual_only: 'false' });
        warnThrottled('no offer: caps and budgets cannot be checked', { error: error.message });
        return { decisionId, offer: null, noOfferReason: NO_OFFER_REASONS.caps_unavailable, contextualOnly: false };
      }
      decisions.inc({ outcome: result.noOffer ?? 'offer', contextual_only: String(result.contextualOnly) });
      decisionLog.log('decide', decideRequest, result);
      return {
        decisionId,
        offer: result.offer ?? null,
        noOfferReason: result.noOffer ? NO_OFFER_REASONS[result.noOffer] : 'NO_OFFER_REASON_UNSPECIFIED',
        contextualOnly: result.contextualOnly,
      };
    }),
    PutRecommendRules: unary(async (request) => {
      tenants.require(request.tenantId);
      let raw: unknown;
      try {
        raw = JSON.parse(request.rulesJson);
      } catch {
        throw new InvalidArgumentError('rules_json', 'is not valid JSON');
      }
      let parsed;
      try {
        parsed = parseRules(raw);
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        throw new InvalidArgumentError(`rules_json.${error.field}`, error.problem);
      }
      await rules.put(request.tenantId, parsed);
      return { rulesJson: JSON.stringify(parsed) };
    }),
    GetRecommendRules: unary(async (request) => {
      tenants.require(request.tenantId);
      return Promise.resolve({ rulesJson: JSON.stringify(rules.get(request.tenantId)) });
    }),
  };
}

/** A Decide (or ExplainDecision) request, checked: INVALID_ARGUMENT naming the field. */
export function toDecideRequest(
  request: {
    tenantId: string;
    userId: string;
    placement: string;
    channel: string;
    context: { channel: string; pageCategory: string; currentItemId: string } | null;
  },
  decisionId: string
): DecideRequest {
  if (request.userId !== '') checkId('user_id', request.userId);
  if (!NAME_PATTERN.test(request.placement))
    throw new InvalidArgumentError('placement', `is required, matching ${NAME_PATTERN.source}`);
  if (request.channel !== '' && !NAME_PATTERN.test(request.channel))
    throw new InvalidArgumentError('channel', `must match ${NAME_PATTERN.source}`);
  const context: Record<string, string> = { placement: request.placement };
  if (request.channel) context['channel'] = request.channel;
  if (request.context?.channel) context['channel'] = request.context.channel;
  if (request.context?.pageCategory) context['page_category'] = request.context.pageCategory;
  if (request.context?.currentItemId) context['current_item_id'] = request.context.currentItemId;
  return {
    tenantId: request.tenantId,
    subjectId: request.userId,
    placement: request.placement,
    channel: request.channel,
    context,
    decisionId,
    nowMs: Date.now(),
  };
}

function checkId(field: string, value: string): void {
  if (value === '') throw new InvalidArgumentError(field, 'is required');
  if (!ID_PATTERN.test(value)) throw new InvalidArgumentError(field, 'must be 1-256 visible ASCII characters');
}

const REASON_CODES = {
  popular: 'REASON_CODE_POPULAR',
  trending: 'REASON_CODE_TRENDING',
  new_arrival: 'REASON_CODE_NEW_ARRIVAL',
  popular_in_category: 'REASON_CODE_POPULAR_IN_CATEGORY',
  category_affinity: 'REASON_CODE_CATEGORY_AFFINITY',
  co_occurrence: 'REASON_CODE_CO_OCCURRENCE',
  similar: 'REASON_CODE_SIMILAR',
  watched_next: 'REASON_CODE_WATCHED_NEXT',
  series_continuation: 'REASON_CODE_SERIES_CONTINUATION',
} as const;

function toProto(item: Recommendation): RecommendedItem {
  return {
    itemId: item.itemId,
    score: item.score,
    reasons: item.reasons.map((reason) => ({
      code: REASON_CODES[reason.code],
      ...('sourceItemId' in reason && { sourceItemId: reason.sourceItemId }),
      ...('category' in reason && { category: reason.category }),
    })),
  };
}
