import { bucketOf } from '@dmp/scorer';

import type { Campaign, Creative } from './campaign';
import { countersFor, type Counter } from './counters';
import { isScheduled } from './schedule';

/**
 * Decide: the best eligible campaign offer for a subject at a placement. Eligible campaigns (active, in
 * schedule, for the placement and channel, targeting true) are ordered by priority tier, then by
 * propensity × value × lever; the first whose caps and budget have room wins, consuming them atomically.
 * Pure domain logic: profiles, propensities and counters come through `DecideSources`.
 *
 * Contextual-only mode, for a subject who is unknown or did not consent to ads targeting: no profile is
 * read, campaigns whose targeting needs one are left out, no caps per subscriber apply and no holdout.
 */
export interface DecideRequest {
  tenantId: string;
  /** Empty: unknown subject. */
  subjectId: string;
  placement: string;
  /** The channel the offer would go out on (empty: the placement's own). */
  channel: string;
  context: Readonly<Record<string, string>>;
  decisionId: string;
  nowMs: number;
}

export interface DecideSources {
  campaigns(tenantId: string): readonly Campaign[];
  /** Whether the subject allowed ads targeting (absent: never said, allowed). */
  adsConsent(tenantId: string, subjectId: string): Promise<boolean>;
  /** The profile features a propensity model takes. */
  modelInputs(model: string): readonly string[];
  profile(
    tenantId: string,
    subjectId: string,
    features: readonly string[]
  ): Promise<Map<string, number | string | boolean>>;
  /** P(response) per campaign (1 for one without a propensity model), and the model versions used. */
  propensities(
    tenantId: string,
    subjectId: string,
    campaigns: readonly Campaign[],
    profile: ReadonlyMap<string, number | string | boolean>
  ): Promise<{ propensity: number; modelVersion: string }[]>;
  /** Consumes all counters or none: the full one, or undefined when consumed. */
  consume(
    tenantId: string,
    decisionId: string,
    campaignId: string,
    counters: readonly Counter[]
  ): Promise<Counter | undefined>;
}

export interface Offer {
  campaignId: string;
  campaignVersion: number;
  creativeId: string;
  /** propensity × value × lever. */
  score: number;
  propensity: number;
  modelVersion: string;
}

export type NoOffer = 'none_eligible' | 'capped' | 'holdout';

export interface DecideResult {
  offer?: Offer;
  noOffer?: NoOffer;
  /** The campaign whose holdout the subject is in (no offer, logged as if decided). */
  holdoutCampaignId?: string;
  contextualOnly: boolean;
  /** Campaigns refused by a full cap or budget before the winner, with what was full. */
  refused: { campaignId: string; kind: Counter['kind'] }[];
  eligible: number;
}

/** How many eligible campaigns a decision tries, at most, before it says "capped". */
const MAX_TRIES = 10;

export async function decide(request: DecideRequest, sources: DecideSources): Promise<DecideResult> {
  const { tenantId, subjectId, nowMs } = request;
  const known = subjectId !== '';
  const contextualOnly = !known || !(await sources.adsConsent(tenantId, subjectId));
  const live = sources.campaigns(tenantId).filter(
    (c) =>
      c.status === 'active' &&
      isScheduled(c.schedule, nowMs) &&
      (c.placements.length === 0 || c.placements.includes(request.placement)) &&
      (c.channels.length === 0 || request.channel === '' || c.channels.includes(request.channel)) &&
      !(contextualOnly && c.targeting?.usesProfile) &&
      // A cap per subscriber cannot hold for a subject nobody knows.
      !(!known && c.caps.length > 0)
  );
  const features = contextualOnly
    ? []
    : [
        ...new Set(
          live.flatMap((c) => [
            ...(c.targeting?.profileFeatures ?? []),
            ...(c.propensityModel ? sources.modelInputs(c.propensityModel) : []),
          ])
        ),
      ];
  const profile =
    contextualOnly || features.length === 0
      ? new Map<string, number | string | boolean>()
      : await sources.profile(tenantId, subjectId, features);
  const bindings = { profile, context: request.context, event: {} };
  const eligible = live.filter((c) => c.targeting === undefined || c.targeting.matches(bindings));
  const result: DecideResult = { contextualOnly, refused: [], eligible: eligible.length };
  if (eligible.length === 0) return { ...result, noOffer: 'none_eligible' };

  const scores = await sources.propensities(tenantId, contextualOnly ? '' : subjectId, eligible, profile);
  const ranked = eligible
    .map((campaign, i) => ({ campaign, ...scores[i]!, score: scores[i]!.propensity * campaign.value * campaign.lever }))
    .sort(
      (a, b) =>
        b.campaign.priority - a.campaign.priority || b.score - a.score || (a.campaign.id < b.campaign.id ? -1 : 1)
    );

  for (const candidate of ranked.slice(0, MAX_TRIES)) {
    const { campaign } = candidate;
    if (!contextualOnly && inHoldout(subjectId, campaign)) {
      return { ...result, noOffer: 'holdout', holdoutCampaignId: campaign.id };
    }
    const full = await sources.consume(
      tenantId,
      request.decisionId,
      campaign.id,
      countersFor(tenantId, campaign, contextualOnly ? undefined : subjectId, nowMs)
    );
    if (full) {
      result.refused.push({ campaignId: campaign.id, kind: full.kind });
      continue;
    }
    return {
      ...result,
      offer: {
        campaignId: campaign.id,
        campaignVersion: campaign.version,
        creativeId: creativeFor(campaign.creatives, `${subjectId || request.decisionId}\u0000${campaign.id}`).id,
        score: candidate.score,
        propensity: candidate.propensity,
        modelVersion: candidate.modelVersion,
      },
    };
  }
  return { ...result, noOffer: 'capped' };
}

/**
 * Whether the subject is in the campaign's holdout: the same answer on every replica and every day (a hash
 * of subject and campaign), so lift against the holdout can be measured.
 */
export function inHoldout(subjectId: string, campaign: Pick<Campaign, 'id' | 'holdout'>): boolean {
  return campaign.holdout > 0 && bucketOf(`holdout\u0000${campaign.id}\u0000${subjectId}`) < campaign.holdout;
}

/** A creative by weight, the same one for the same key (a subject sees one variant of a campaign). */
export function creativeFor(creatives: readonly Creative[], key: string): Creative {
  const total = creatives.reduce((sum, c) => sum + c.weight, 0);
  let point = bucketOf(`creative\u0000${key}`) * total;
  for (const creative of creatives) {
    point -= creative.weight;
    if (point < 0) return creative;
  }
  return creatives[creatives.length - 1]!;
}
