import { describe, expect, it } from 'vitest';

import { parseCampaign, type Campaign } from './campaign';
import type { Counter } from './counters';
import type { DecisionReport } from './reports';
import { creativeFor, decide, inHoldout, type DecideRequest, type DecideSources } from './decide';

const NOW = Date.parse('2026-11-26T12:00:00Z');

function campaign(doc: Record<string, unknown>): Campaign {
  return parseCampaign({ status: 'active', ...doc });
}

/** Campaigns in memory; counters full for the campaigns listed in `full`; every profile read recorded. */
function sources(
  campaigns: Campaign[],
  options: {
    full?: string[];
    consent?: boolean;
    contact?: Record<string, boolean>;
    profile?: Record<string, number>;
    segments?: string[];
    propensity?: Record<string, number>;
  } = {}
): DecideSources & { profileReads: string[][]; consumed: string[]; reports: string[]; segmentReads: number } {
  const s = {
    profileReads: [] as string[][],
    segmentReads: 0,
    segmentsOf: async () => {
      s.segmentReads++;
      return options.segments ?? [];
    },
    consumed: [] as string[],
    reports: [] as string[],
    campaigns: () => campaigns,
    profileOf: async (_t: string, identifier: string) => identifier,
    consent: async () => ({ adsTargeting: options.consent ?? true, contact: options.contact ?? {} }),
    modelInputs: () => [],
    contactPolicy: () => undefined,
    profile: async (_t: string, _s: string, features: readonly string[]) => {
      s.profileReads.push([...features]);
      return new Map(Object.entries(options.profile ?? {}));
    },
    propensities: async (_t: string, _s: string, list: readonly Campaign[]) =>
      list.map((c) => ({ propensity: options.propensity?.[c.id] ?? 1, modelVersion: '' })),
    consume: async (
      _t: string,
      _d: string,
      campaignId: string,
      counters: readonly Counter[],
      report: DecisionReport
    ) => {
      s.reports.push(`${campaignId}:${report.field}:${report.group}`);
      if (options.full?.includes(campaignId))
        return (
          counters[0] ?? {
            scope: 'subject' as const,
            kind: 'cap' as const,
            key: '',
            field: '',
            limit: 0,
            amount: 1,
            lifetimeSeconds: 0,
          }
        );
      if (counters.length > 0) s.consumed.push(campaignId);
      return undefined;
    },
  };
  return s;
}

const request: DecideRequest = {
  tenantId: 't',
  subjectId: 'alice',
  placement: 'app-banner',
  channel: '',
  context: { channel: 'app' },
  decisionId: 'd1',
  nowMs: NOW,
};

describe('decide', () => {
  it('orders by priority tier, then propensity × value × lever', async () => {
    const list = [
      campaign({ id: 'cheap', value: 1 }),
      campaign({ id: 'rich', value: 10 }),
      campaign({ id: 'levered', value: 4, lever: 3 }),
      campaign({ id: 'urgent', priority: 5, value: 0.1 }),
    ];
    expect((await decide(request, sources(list))).offer?.campaignId).toBe('urgent');
    const noUrgent = list.slice(0, 3);
    expect((await decide(request, sources(noUrgent))).offer?.campaignId).toBe('levered'); // 12 > 10
    const likely = sources(noUrgent, { propensity: { cheap: 0.9, rich: 0.05, levered: 0.05 } });
    expect((await decide(request, likely)).offer).toMatchObject({ campaignId: 'cheap', score: 0.9, propensity: 0.9 });
  });

  it('looks at campaigns best bound first and stops when none left can win', async () => {
    const list = Array.from({ length: 50 }, (_, i) => campaign({ id: `c${i}`, value: i + 1 }));
    const counted = (options: Parameters<typeof sources>[1]) => {
      const s = sources(list, options);
      const seen: string[] = [];
      return {
        seen,
        sources: {
          ...s,
          propensities: (...args: Parameters<DecideSources['propensities']>) => {
            seen.push(...args[2].map((c) => c.id));
            return s.propensities(...args);
          },
        },
      };
    };
    const sure = counted({});
    expect((await decide(request, sure.sources)).offer?.campaignId).toBe('c49');
    expect(sure.seen).toEqual(['c49']);
    // c49 is unlikely (0.5 × 50 = 25): c48 (bound 49) can still win, and does; c47 (48) cannot beat it.
    const unlikely = counted({ propensity: { c49: 0.5 } });
    expect((await decide(request, unlikely.sources)).offer?.campaignId).toBe('c48');
    expect(unlikely.seen).toEqual(['c49', 'c48']);
  });

  it('passes over a campaign whose cap or budget is full to the next, and says "capped" when none is left', async () => {
    const list = [campaign({ id: 'a', value: 3, caps: [{ max: 1, per: 'day' }] }), campaign({ id: 'b', value: 2 })];
    const result = await decide(request, sources(list, { full: ['a'] }));
    expect(result.offer?.campaignId).toBe('b');
    expect(result.refused).toEqual([{ campaignId: 'a', kind: 'cap' }]);
    expect((await decide(request, sources(list, { full: ['a', 'b'] }))).noOffer).toBe('capped');
  });

  it('keeps to status, schedule, placement, channel and targeting', async () => {
    const list = [
      campaign({ id: 'paused', status: 'paused', value: 9 }),
      campaign({ id: 'over', value: 9, schedule: { end: '2026-11-01T00:00:00Z' } }),
      campaign({ id: 'sms-only', value: 9, placements: ['sms'] }),
      campaign({ id: 'email', value: 9, channels: ['email'] }),
      campaign({ id: 'web', value: 9, targeting: 'context.channel == "web"' }),
      campaign({ id: 'fits', value: 1 }),
    ];
    const result = await decide({ ...request, channel: 'push' }, sources(list));
    expect(result).toMatchObject({ eligible: 1, offer: { campaignId: 'fits' } });
    expect((await decide({ ...request, channel: 'push' }, sources(list.slice(0, 5)))).noOffer).toBe('none_eligible');
  });

  it('reads only the features targeting needs, and no profile at all in contextual-only mode', async () => {
    const list = [
      campaign({ id: 'heavy-users', value: 5, targeting: 'profile["user.views_7d"] > 10.0' }),
      campaign({ id: 'app-users', value: 1, targeting: 'context.channel == "app"' }),
    ];
    const known = sources(list, { profile: { 'user.views_7d': 20 } });
    expect((await decide(request, known)).offer?.campaignId).toBe('heavy-users');
    expect(known.profileReads).toEqual([['user.views_7d']]);

    const withdrawn = sources(list, { consent: false, profile: { 'user.views_7d': 20 } });
    const result = await decide(request, withdrawn);
    expect(result).toMatchObject({ contextualOnly: true, offer: { campaignId: 'app-users' } });
    expect(withdrawn.profileReads).toEqual([]);
    const anonymous = sources(list);
    expect((await decide({ ...request, subjectId: '' }, anonymous)).contextualOnly).toBe(true);
    expect(anonymous.profileReads).toEqual([]);
  });

  it('targets audience segments, read only when a campaign names them and the subscriber allows targeting', async () => {
    const list = [
      campaign({ id: 'roamers-offer', value: 5, targeting: '"roamers" in segments' }),
      campaign({ id: 'everyone', value: 1 }),
    ];
    const roamer = sources(list, { segments: ['roamers', 'prepaid'] });
    expect((await decide(request, roamer)).offer?.campaignId).toBe('roamers-offer');
    expect(roamer.segmentReads).toBe(1);
    expect((await decide(request, sources(list, { segments: ['prepaid'] }))).offer?.campaignId).toBe('everyone');
    const withdrawn = sources(list, { consent: false, segments: ['roamers'] });
    expect((await decide(request, withdrawn)).offer?.campaignId).toBe('everyone');
    expect(withdrawn.segmentReads).toBe(0);
    const untargeted = sources([campaign({ id: 'everyone', value: 1 })], { segments: ['roamers'] });
    await decide(request, untargeted);
    expect(untargeted.segmentReads).toBe(0);
  });

  it('decides among the trigger campaigns of the event, on its properties, never for Decide', async () => {
    const list = [
      campaign({
        id: 'roaming-pack',
        value: 5,
        channels: ['sms'],
        trigger: { event: 'roaming_start', condition: 'event.country != "RU"' },
      }),
      campaign({ id: 'low-balance', value: 9, channels: ['sms'], trigger: { event: 'low_balance' } }),
      campaign({ id: 'banner', value: 100 }),
    ];
    const fired = (country: string) =>
      decide({ ...request, trigger: { type: 'roaming_start', properties: { country } } }, sources(list));
    expect((await fired('TR')).offer).toMatchObject({ campaignId: 'roaming-pack', channel: 'sms' });
    expect((await fired('RU')).noOffer).toBe('none_eligible');
    expect((await decide(request, sources(list))).offer?.campaignId).toBe('banner');
    // No contact over a channel the subscriber refused.
    const refused = await decide(
      { ...request, trigger: { type: 'roaming_start', properties: { country: 'TR' } } },
      sources(list, { contact: { sms: false } })
    );
    expect(refused.noOffer).toBe('none_eligible');
  });

  it('gives a holdout subject no offer, records the campaign, and consumes nothing', async () => {
    const list = [campaign({ id: 'promo', holdout: 0.5 })];
    const subjects = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const held = subjects.find((s) => inHoldout(s, list[0]!))!;
    const s = sources(list);
    expect(await decide({ ...request, subjectId: held }, s)).toMatchObject({
      noOffer: 'holdout',
      holdoutCampaignId: 'promo',
    });
    expect(s.consumed).toEqual([]);
    expect(s.reports).toEqual(['promo:holdout:holdout']); // logged as if decided
  });

  it('puts a stable, hashed share of subjects in a holdout', () => {
    const promo = { id: 'promo', holdout: 0.1 };
    const subjects = Array.from({ length: 20_000 }, (_, i) => `subscriber-${i}`);
    const share = subjects.filter((s) => inHoldout(s, promo)).length / subjects.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    expect(subjects.slice(0, 500).map((s) => inHoldout(s, promo))).toEqual(
      subjects.slice(0, 500).map((s) => inHoldout(s, promo))
    );
    // Another campaign holds out other subjects.
    const other = subjects.filter((s) => inHoldout(s, { id: 'other', holdout: 0.1 }));
    const both = other.filter((s) => inHoldout(s, promo)).length / other.length;
    expect(both).toBeLessThan(0.2);
    expect(inHoldout('anyone', { id: 'promo', holdout: 0 })).toBe(false);
  });

  it('shows each subject one creative, by weight', () => {
    const creatives = [
      { id: 'a', weight: 3 },
      { id: 'b', weight: 1 },
    ];
    const picks = Array.from({ length: 8_000 }, (_, i) => creativeFor(creatives, `s${i}`).id);
    const shareA = picks.filter((p) => p === 'a').length / picks.length;
    expect(shareA).toBeGreaterThan(0.72);
    expect(shareA).toBeLessThan(0.78);
    // The same subject, the same creative: on every call, not by chance.
    expect(Array.from({ length: 8_000 }, (_, i) => creativeFor(creatives, `s${i}`).id)).toEqual(picks);
  });
});
