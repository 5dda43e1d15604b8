import type { CelCondition } from '@dmp/features';
import { bucketOf } from '@dmp/scorer';

import type { Campaign, Creative } from './campaign';
import type { ContactPolicy } from './contact-policy';
import { countersFor, type Counter } from './counters';
import type { DecisionReport } from './reports';
import { isScheduled, localTime } from './schedule';

/**
 * Decide: the best eligible campaign offer for a subject at a placement, or, for a trigger event, among
 * the trigger campaigns of its type. Eligible campaigns (active, in schedule, for the placement and channel
 * or the event, targeting and trigger condition true, the channel's contact consent not withdrawn) are
 * ordered by priority tier, then by propensity × value × lever; the first whose caps and budget have room
 * wins, consuming them atomically. Pure domain logic: profiles, propensities and counters come through
 * `DecideSources`.
 *
 * Contextual-only mode, for a subject who is unknown or did not consent to ads targeting: no profile is
 * read, campaigns whose targeting needs one are left out, and no holdout applies. A known subject's caps
 * still count: they protect the subscriber, they do not target them.
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
  /** Present: decide among the trigger campaigns of this event (placement is then ignored). */
  trigger?: { type: string; properties: Readonly<Record<string, string | number | boolean>> };
}

/** What a subject allowed: ads targeting, and contact per channel (absent: never said, allowed). */
export interface SubjectConsent {
  adsTargeting: boolean;
  contact: Readonly<Record<string, boolean | undefined>>;
}

export interface DecideSources {
  campaigns(tenantId: string): readonly Campaign[];
  /** The profile an identifier belongs to (the identity graph): decisions, caps and consent are per profile. */
  profileOf(tenantId: string, identifier: string): Promise<string>;
  consent(tenantId: string, subjectId: string): Promise<SubjectConsent>;
  /** The audience segments the subject is in. */
  segmentsOf(tenantId: string, subjectId: string): Promise<string[]>;
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
  /** The tenant's contact policy per channel, if it has one. */
  contactPolicy(tenantId: string): ContactPolicy | undefined;
  /** Consumes all counters or none: the full one, or undefined when consumed. */
  consume(
    tenantId: string,
    decisionId: string,
    campaignId: string,
    counters: readonly Counter[],
    report: DecisionReport
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
  /** The channel it goes out on: the request's, else the campaign's first (empty: the placement's own). */
  channel: string;
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
  /** Eligible campaigns found before the decision was made (the search stops when none left can win). */
  eligible: number;
}

/** How many eligible campaigns a decision tries, at most, before it says "capped". */
const MAX_TRIES = 10;

export async function decide(request: DecideRequest, sources: DecideSources): Promise<DecideResult> {
  const { tenantId, subjectId, nowMs } = request;
  const { situation, live, profile, matches } = await prepare(request, sources);
  const { contextualOnly, known } = situation;

  // Branch and bound: a campaign's score is at most value × lever (a propensity is at most 1), so campaigns
  // are looked at best bound first, and targeting (CEL, the costly part) is evaluated only until the best
  // scored campaign beats every bound left; a full campaign makes the search go on from there.
  const pending = [...live].sort((a, b) => b.priority - a.priority || bound(b) - bound(a) || (a.id < b.id ? -1 : 1));
  const scored: Scored[] = [];
  const result: DecideResult = { contextualOnly, refused: [], eligible: 0 };
  let next = 0;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    for (; next < pending.length; next++) {
      const best = scored[0];
      const c = pending[next]!;
      if (
        best &&
        (best.campaign.priority > c.priority || (best.campaign.priority === c.priority && best.score >= bound(c)))
      )
        break;
      if (!matches(c)) continue;
      result.eligible++;
      const [p] = await sources.propensities(tenantId, contextualOnly ? '' : subjectId, [c], profile);
      scored.push({ campaign: c, ...p!, score: p!.propensity * c.value * c.lever });
      scored.sort(
        (a, b) =>
          b.campaign.priority - a.campaign.priority || b.score - a.score || (a.campaign.id < b.campaign.id ? -1 : 1)
      );
    }
    const candidate = scored.shift();
    if (!candidate) break;
    const { campaign } = candidate;
    const date = localTime(nowMs, campaign.schedule.timeZone).date;
    // Lift compares treated and holdout subscribers: only decisions that could have held one out count.
    const measured = contextualOnly ? {} : { subjectId };
    if (!contextualOnly && inHoldout(subjectId, campaign)) {
      // Logged as if decided (and counted once per decision), but nothing is offered or spent.
      await sources.consume(tenantId, request.decisionId, campaign.id, [], {
        date,
        field: 'holdout',
        group: 'holdout',
        ...measured,
      });
      return { ...result, noOffer: 'holdout', holdoutCampaignId: campaign.id };
    }
    const creative = creativeFor(campaign.creatives, `${subjectId || request.decisionId}\u0000${campaign.id}`);
    const full = await sources.consume(
      tenantId,
      request.decisionId,
      campaign.id,
      countersFor(tenantId, campaign, known ? subjectId : undefined, nowMs, {
        channel: channelOf(campaign, request),
        policy: sources.contactPolicy(tenantId),
      }),
      { date, field: `decisions:${creative.id}`, group: 'treated', ...measured }
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
        creativeId: creative.id,
        score: candidate.score,
        propensity: candidate.propensity,
        modelVersion: candidate.modelVersion,
        channel: channelOf(campaign, request),
      },
    };
  }
  return { ...result, noOffer: result.refused.length > 0 ? 'capped' : 'none_eligible' };
}

interface Scored {
  campaign: Campaign;
  propensity: number;
  modelVersion: string;
  score: number;
}

/** The most a campaign can score: its value × lever, at propensity 1. */
const bound = (c: Campaign): number => c.value * c.lever;

/**
 * What a decision knows before ranking: the subject's consent, the campaigns not excluded, the profile
 * features their conditions and propensity models need (one read, none in contextual-only mode), and a
 * test of a campaign's targeting and trigger condition on them.
 */
async function prepare(
  request: DecideRequest,
  sources: DecideSources
): Promise<{
  situation: Situation;
  live: Campaign[];
  profile: Map<string, number | string | boolean>;
  matches: (c: Campaign) => boolean;
}> {
  const { tenantId, subjectId, trigger } = request;
  const known = subjectId !== '';
  const consent: SubjectConsent = known
    ? await sources.consent(tenantId, subjectId)
    : { adsTargeting: false, contact: {} };
  const situation: Situation = { request, consent, contextualOnly: !consent.adsTargeting, known };
  const live = sources.campaigns(tenantId).filter((c) => exclusionOf(c, situation) === undefined);
  const features = situation.contextualOnly
    ? []
    : [
        ...new Set(
          live.flatMap((c) => [
            ...(c.targeting?.profileFeatures ?? []),
            ...(c.trigger?.condition?.profileFeatures ?? []),
            ...(c.propensityModel ? sources.modelInputs(c.propensityModel) : []),
          ])
        ),
      ];
  const readsSegments =
    !situation.contextualOnly && live.some((c) => c.targeting?.usesSegments || c.trigger?.condition?.usesSegments);
  const [profile, segments] = await Promise.all([
    features.length === 0
      ? new Map<string, number | string | boolean>()
      : sources.profile(tenantId, subjectId, features),
    readsSegments ? sources.segmentsOf(tenantId, subjectId) : [],
  ]);
  const bindings = {
    profile,
    segments,
    context: request.context,
    event: trigger ? { ...trigger.properties, type: trigger.type } : {},
  };
  const matches = (c: Campaign): boolean =>
    (c.targeting === undefined || c.targeting.matches(bindings)) &&
    (c.trigger?.condition === undefined || c.trigger.condition.matches(bindings));
  return { situation, live, profile, matches };
}

interface Situation {
  request: DecideRequest;
  consent: SubjectConsent;
  contextualOnly: boolean;
  known: boolean;
}

/** Why a campaign cannot be offered in this situation, before targeting; undefined when it can. */
function exclusionOf(c: Campaign, { request, consent, contextualOnly, known }: Situation): string | undefined {
  if (c.status !== 'active') return `it is ${c.status}`;
  if (!isScheduled(c.schedule, request.nowMs)) return 'outside its schedule';
  if (request.trigger) {
    if (c.trigger?.event !== request.trigger.type) return `not triggered by ${request.trigger.type}`;
  } else {
    if (c.trigger) return `a trigger campaign (on ${c.trigger.event})`;
    if (c.placements.length > 0 && !c.placements.includes(request.placement))
      return `not for placement ${request.placement}`;
    if (c.channels.length > 0 && request.channel !== '' && !c.channels.includes(request.channel))
      return `not on channel ${request.channel}`;
  }
  const channel = channelOf(c, request);
  if (consent.contact[channel] === false) return `the subscriber withdrew contact over ${channel}`;
  const personal = (condition: CelCondition | undefined) => condition?.usesProfile || condition?.usesSegments;
  if (contextualOnly && (personal(c.targeting) || personal(c.trigger?.condition)))
    return 'it targets the profile or its segments, and this decision may use the context only';
  if (!known && c.caps.length > 0) return 'its caps per subscriber need a known subscriber';
  return undefined;
}

export interface Verdict {
  campaignId: string;
  /** excluded, not_targeted, holdout, full, would_win, outranked. */
  verdict: 'excluded' | 'not_targeted' | 'holdout' | 'full' | 'would_win' | 'outranked';
  detail: string;
  score?: number;
}

/**
 * Explain: what Decide would do for this request and why, campaign by campaign, without consuming anything
 * or counting in reports: excluded (status, schedule, placement, channel, consent, …), targeting false,
 * eligible with its score, in holdout, refused by a full counter, the winner, or outranked by it.
 */
export async function explain(
  request: DecideRequest,
  sources: DecideSources & { peek(counters: readonly Counter[]): Promise<Counter | undefined> }
): Promise<{ verdicts: Verdict[]; contextualOnly: boolean }> {
  const { tenantId, subjectId, nowMs } = request;
  const { situation, profile, matches } = await prepare(request, sources);
  const { known } = situation;
  const campaigns = sources.campaigns(tenantId);
  const verdicts: Verdict[] = [];
  const eligible: { c: Campaign; score: number }[] = [];
  for (const c of campaigns) {
    const excluded = exclusionOf(c, situation);
    if (excluded) verdicts.push({ campaignId: c.id, verdict: 'excluded', detail: excluded });
    else if (!matches(c))
      verdicts.push({ campaignId: c.id, verdict: 'not_targeted', detail: 'its targeting is false for this request' });
    else {
      const [p] = await sources.propensities(tenantId, situation.contextualOnly ? '' : subjectId, [c], profile);
      eligible.push({ c, score: p!.propensity * c.value * c.lever });
    }
  }
  eligible.sort((a, b) => b.c.priority - a.c.priority || b.score - a.score || (a.c.id < b.c.id ? -1 : 1));
  let winner: string | undefined;
  for (const { c, score } of eligible) {
    const base = { campaignId: c.id, score };
    if (winner) {
      verdicts.push({ ...base, verdict: 'outranked', detail: `${winner} ranks first` });
    } else if (!situation.contextualOnly && inHoldout(subjectId, c)) {
      verdicts.push({ ...base, verdict: 'holdout', detail: `the subscriber is in its ${c.holdout * 100} % holdout` });
      winner = `${c.id} (holdout: no offer)`;
    } else {
      const full = await sources.peek(
        countersFor(tenantId, c, known ? subjectId : undefined, nowMs, {
          channel: channelOf(c, request),
          policy: sources.contactPolicy(tenantId),
        })
      );
      if (full)
        verdicts.push({
          ...base,
          verdict: 'full',
          detail: `its ${full.kind.replace('_', ' ')} is reached (${full.limit})`,
        });
      else {
        verdicts.push({ ...base, verdict: 'would_win', detail: `priority ${c.priority}, score ${score}` });
        winner = c.id;
      }
    }
  }
  return { verdicts, contextualOnly: situation.contextualOnly };
}

/** The channel an offer of the campaign goes out on for this request. */
function channelOf(campaign: Campaign, request: DecideRequest): string {
  if (request.trigger || request.channel === '') return campaign.channels[0] ?? '';
  return request.channel;
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
