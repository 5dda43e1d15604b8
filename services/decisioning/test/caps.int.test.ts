import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseCampaign, type Campaign } from '../src/campaigns/campaign';
import { CounterStore, countersFor } from '../src/campaigns/counters';
import { capsKeys } from '../src/campaigns/keys';
import { decide, type DecideSources } from '../src/campaigns/decide';
import { startServers, type Servers } from '../../../test/harness';

let servers: Servers;
/** One connection per decider: 8 deciders race in Redis, not in one client's pipeline. */
let connections: Redis[];

beforeAll(async () => {
  servers = await startServers();
  connections = Array.from({ length: 8 }, () => new Redis(servers.redis.url));
});

afterAll(async () => {
  await Promise.all(connections?.map((c) => c.quit()) ?? []);
  await servers?.stop();
});

function sourcesFor(store: CounterStore, campaigns: Campaign[]): DecideSources {
  return {
    campaigns: () => campaigns,
    profileOf: async (_t, identifier) => identifier,
    segmentsOf: async () => [],
    consent: async () => ({ adsTargeting: true, contact: {} }),
    modelInputs: () => [],
    contactPolicy: () => undefined,
    profile: async () => new Map(),
    propensities: async (_t, _s, list) => list.map(() => ({ propensity: 1, modelVersion: '' })),
    consume: (t, d, c, counters, report) => store.consume(t, d, c, counters, report),
  };
}

/** `workers` deciders, each deciding `each` times for subjects drawn round robin; the offers they made. */
async function hammer(campaigns: Campaign[], subjects: string[], each: number, nowMs: number): Promise<string[][]> {
  let n = 0;
  const offers: string[][] = [];
  await Promise.all(
    connections.map(async (redis, w) => {
      const sources = sourcesFor(new CounterStore(redis), campaigns);
      for (let i = 0; i < each; i++) {
        const subjectId = subjects[(w * each + i) % subjects.length]!;
        const result = await decide(
          {
            tenantId: 'shop',
            subjectId,
            placement: 'app',
            channel: '',
            context: {},
            decisionId: `d-${w}-${i}-${n++}`,
            nowMs,
          },
          sources
        );
        if (result.offer) offers.push([subjectId, result.offer.campaignId]);
      }
    })
  );
  return offers;
}

describe('caps and budgets against a real Redis, under concurrency', () => {
  it('never goes over a subscriber’s cap with 8 deciders hammering one subject', async () => {
    const capped = parseCampaign({ id: 'capped', status: 'active', value: 2, caps: [{ max: 3, per: 'day' }] });
    const fallback = parseCampaign({ id: 'fallback', status: 'active', value: 1, caps: [{ max: 5, per: 'day' }] });
    const offers = await hammer([capped, fallback], ['alice'], 50, Date.now());
    const count = (id: string) => offers.filter(([, c]) => c === id).length;
    expect(count('capped')).toBe(3); // exactly the cap: never more, and nothing left unspent
    expect(count('fallback')).toBe(5);
    expect(offers).toHaveLength(8);
  });

  it('never overspends a budget, and spends it to the last unit, across 100 subscribers', async () => {
    const promo = parseCampaign({
      id: 'promo',
      status: 'active',
      caps: [{ max: 3, per: 'day' }],
      budget: { unit: 'money', total: 1000, costPerOffer: 7 },
    });
    const subjects = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const offers = await hammer([promo], subjects, 250, Date.now());
    // 1000 / 7 = 142 offers, whatever the interleaving: 994 spent, 6 left, less than one offer.
    expect(offers).toHaveLength(142);
    const spent = Number(await connections[0]!.hget(capsKeys.spend('shop', 'promo'), 'total'));
    expect(spent).toBe(994);
    const perSubject = new Map<string, number>();
    for (const [s] of offers) perSubject.set(s!, (perSubject.get(s!) ?? 0) + 1);
    expect(Math.max(...perSubject.values())).toBeLessThanOrEqual(3);
  });

  it('spends once per decision, however often the same decision is retried', async () => {
    const once = parseCampaign({ id: 'once', status: 'active', budget: { total: 10 } });
    const store = new CounterStore(connections[0]!);
    const counters = countersFor('shop', once, undefined, Date.now());
    const report = { date: '2026-11-26', field: 'decisions:default', group: 'treated' as const };
    for (let i = 0; i < 5; i++)
      expect(await store.consume('shop', 'same-decision', once.id, counters, report)).toBeUndefined();
    expect(await store.spendTotal('shop', 'once')).toBe(1);
  });

  it('gives a subscriber’s caps back when the campaign’s budget refuses after them, once', async () => {
    const last = parseCampaign({
      id: 'last',
      status: 'active',
      caps: [{ max: 1, per: 'day' }],
      budget: { total: 1 },
    });
    const store = new CounterStore(connections[0]!);
    const nowMs = Date.now();
    const decideFor = (subject: string, decisionId: string) =>
      store.consume('shop', decisionId, last.id, countersFor('shop', last, subject, nowMs), {
        date: '2026-11-26',
        field: 'decisions:default',
        subjectId: subject,
        group: 'treated',
      });
    expect(await decideFor('ann', 'd-ann')).toBeUndefined(); // the budget's one offer
    // Bob's cap has room, the budget has none: refused by the budget, his cap untouched and no exposure kept.
    for (let i = 0; i < 3; i++) expect((await decideFor('bob', 'd-bob'))?.kind).toBe('budget_total');
    const bob = await connections[0]!.hgetall(capsKeys.subscriber('shop', 'bob'));
    const cap = Object.entries(bob).find(([field]) => field.startsWith('c:last:day:'));
    expect(cap?.[1].split(':')[0] ?? '0').toBe('0');
    expect(bob['x:last']).toBeUndefined();
    expect(await store.peek(countersFor('shop', last, 'bob', nowMs).filter((c) => c.kind === 'cap'))).toBeUndefined();
    // Ann's cap is spent, and her exposure kept for lift.
    const ann = await connections[0]!.hgetall(capsKeys.subscriber('shop', 'ann'));
    expect(ann['x:last']).toBe('treated');
    expect((await store.peek(countersFor('shop', last, 'ann', nowMs).filter((c) => c.kind === 'cap')))?.kind).toBe(
      'cap'
    );
    const report = await connections[0]!.hgetall(capsKeys.reportDay('shop', 'last', '2026-11-26'));
    expect(report).toEqual({ 'decisions:default': '1', 'refused:budget_total': '1' });
  });

  it('paces an even daily budget across a simulated day', async () => {
    const paced = parseCampaign({
      id: 'paced',
      status: 'active',
      schedule: { timeZone: 'UTC' },
      budget: { daily: 240, pacing: 'even' },
    });
    const day = Date.parse('2026-11-20T00:00:00Z');
    const sources = sourcesFor(new CounterStore(connections[0]!), [paced]);
    // Demand far above the budget: 40 requests every 10 minutes of the day.
    const offersByHour = new Array<number>(24).fill(0);
    for (let minute = 0; minute < 24 * 60; minute += 10) {
      for (let r = 0; r < 40; r++) {
        const result = await decide(
          {
            tenantId: 'shop',
            subjectId: '',
            placement: 'app',
            channel: '',
            context: {},
            decisionId: `p-${minute}-${r}`,
            nowMs: day + minute * 60_000,
          },
          sources
        );
        if (result.offer) offersByHour[Math.floor(minute / 60)]!++;
      }
    }
    // All the budget the clock allows is spent (the last requests, at 23:50, may reach 240 · 1431/1440 = 238),
    // about 10 per hour, never ahead of the clock.
    expect(offersByHour.reduce((a, b) => a + b, 0)).toBe(Math.floor((240 * 1431) / 1440));
    let cumulative = 0;
    offersByHour.forEach((count, hour) => {
      cumulative += count;
      expect(cumulative).toBeLessThanOrEqual(Math.floor((240 * ((hour + 1) * 60)) / 1440));
      expect(count).toBeGreaterThanOrEqual(8);
    });
  });
});
