import { describe, expect, it } from 'vitest';

import { subjectToken } from '@dmp/messaging';

import { parseCampaign } from './campaign';
import { parseContactPolicy } from './contact-policy';
import { countersFor, isoWeek, periodOf, previousDate } from './counters';

describe('cap periods and budget counters', () => {
  it('counts periods on the campaign’s own calendar', () => {
    const at = Date.parse('2026-11-26T22:30:00Z'); // already the 27th in Moscow
    expect(periodOf('day', at, 'Europe/Moscow')).toBe('2026-11-27');
    expect(periodOf('day', at, 'UTC')).toBe('2026-11-26');
    expect(periodOf('hour', at, 'Europe/Moscow')).toBe('2026-11-27T01');
    expect(periodOf('month', at, 'UTC')).toBe('2026-11');
    expect(periodOf('campaign', at, 'UTC')).toBe('all');
    expect(isoWeek('2026-11-26')).toBe('2026-W48');
    expect(isoWeek('2027-01-01')).toBe('2026-W53'); // a Friday: still the last week of 2026
    expect(isoWeek('2025-12-29')).toBe('2026-W01'); // a Monday: the week that holds 1 January
    expect(previousDate('2026-03-01')).toBe('2026-02-28');
    expect(previousDate('2028-03-01')).toBe('2028-02-29');
  });

  it('paces an even daily budget by the elapsed share of the local day', () => {
    const c = parseCampaign({
      id: 'promo',
      schedule: { timeZone: 'UTC' },
      budget: { daily: 1440, total: 10_000, pacing: 'even' },
      caps: [{ max: 2, per: 'day' }],
    });
    const at = (hhmm: string) => Date.parse(`2026-11-26T${hhmm}:00Z`);
    const daily = (ms: number) => countersFor('t', c, 's', ms).find((x) => x.kind === 'budget_daily')!;
    expect(daily(at('00:00')).limit).toBe(1);
    expect(daily(at('06:00')).limit).toBe(361);
    expect(daily(at('23:59')).limit).toBe(1440);
    expect(countersFor('t', c, 's', at('12:00')).map((x) => x.kind)).toEqual(['cap', 'budget_total', 'budget_daily']);
    // No subject: no cap per subscriber; budgets still count.
    expect(countersFor('t', c, undefined, at('12:00')).map((x) => x.kind)).toEqual(['budget_total', 'budget_daily']);
    const money = parseCampaign({ id: 'm', budget: { unit: 'money', total: 1000, costPerOffer: 250 } });
    expect(countersFor('t', money, 's', at('12:00'))).toMatchObject([
      { kind: 'budget_total', amount: 250, limit: 1000 },
    ]);
  });
});

describe('contact policy', () => {
  it('is validated, naming the field', () => {
    expect(parseContactPolicy({ channels: { sms: [{ max: 2, per: 'day' }] } })).toEqual({
      timeZone: 'UTC',
      channels: { sms: [{ max: 2, per: 'day' }] },
    });
    expect(() => parseContactPolicy({ channels: { sms: [{ max: 2, per: 'campaign' }] } })).toThrow(
      'policy.channels.sms[0].per'
    );
    expect(() => parseContactPolicy({ timeZone: 'Nowhere' })).toThrow('policy.timeZone');
    expect(() => parseContactPolicy({ channel: {} })).toThrow('policy.channel: is not a contact policy field');
  });

  it('adds a counter per cap of the offer’s channel, on the policy’s calendar, for a known subscriber only', () => {
    const c = parseCampaign({ id: 'promo', caps: [{ max: 3, per: 'week' }] });
    const policy = parseContactPolicy({
      timeZone: 'Europe/Moscow',
      channels: { sms: [{ max: 2, per: 'day' }], push: [{ max: 9, per: 'hour' }] },
    });
    const at = Date.parse('2026-11-26T22:30:00Z'); // the 27th in Moscow
    const counters = countersFor('t', c, 's1', at, { channel: 'sms', policy });
    // Both in the subscriber's hash, under its token's tag.
    const subscriber = `dc:t:{t:${subjectToken('t', 's1')}}`;
    expect(counters.map((x) => [x.kind, x.key, x.field, x.limit])).toEqual([
      ['contact_policy', subscriber, 'p:sms:day:2026-11-27', 2],
      ['cap', subscriber, 'c:promo:week:2026-W48', 3],
    ]);
    expect(countersFor('t', c, undefined, at, { channel: 'sms', policy })).toEqual([]);
    expect(countersFor('t', c, 's1', at, { channel: 'email', policy }).map((x) => x.kind)).toEqual(['cap']);
  });
});
