import { describe, expect, it } from 'vitest';

import { InvalidArgumentError } from '@dmp/runtime';

import { parseCampaign } from './campaign';

const refusal = (doc: unknown): string => {
  try {
    parseCampaign(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('campaign documents', () => {
  it('accepts a full campaign and fills the defaults', () => {
    const c = parseCampaign({
      id: 'roaming-pack',
      status: 'active',
      priority: 2,
      value: 12.5,
      schedule: {
        start: '2026-11-01T00:00:00Z',
        timeZone: 'Europe/Moscow',
        dayparts: [{ from: '09:00', to: '21:00' }],
      },
      placements: ['app-banner'],
      targeting: 'profile["user.views_7d"] > 3.0',
      caps: [{ max: 3, per: 'day' }],
      budget: { total: 1000, daily: 100, pacing: 'even' },
      holdout: 0.1,
      creatives: [{ id: 'a' }, { id: 'b', weight: 2 }],
    });
    expect(c).toMatchObject({
      id: 'roaming-pack',
      lever: 1,
      channels: [],
      budget: { unit: 'impressions', costPerOffer: 1 },
    });
    expect(c.targeting?.profileFeatures).toEqual(['user.views_7d']);
    expect(parseCampaign({ id: 'minimal' })).toMatchObject({
      status: 'draft',
      creatives: [{ id: 'default', weight: 1 }],
    });
  });

  it('refuses bad fields, naming them, and CEL that does not compile, saying why', () => {
    expect(refusal({ id: 'Bad Id' })).toMatch(/^campaign\.id: /);
    expect(refusal({ id: 'x', status: 'live' })).toMatch(/^campaign\.status: /);
    expect(refusal({ id: 'x', targeting: 'profile.views >' })).toMatch(/^campaign\.targeting: is not a CEL expression/);
    expect(refusal({ id: 'x', targeting: 'subscriber.age > 3' })).toMatch(/^campaign\.targeting: names "subscriber"/);
    expect(refusal({ id: 'x', schedule: { timeZone: 'Mars/Olympus' } })).toMatch(/^campaign\.schedule\.timeZone: /);
    expect(refusal({ id: 'x', schedule: { start: '2026-12-01T00:00:00Z', end: '2026-11-01T00:00:00Z' } })).toMatch(
      /^campaign\.schedule\.end: must be after start/
    );
    expect(refusal({ id: 'x', caps: [{ max: 0, per: 'day' }] })).toMatch(/^campaign\.caps\[0\]\.max: /);
    expect(refusal({ id: 'x', caps: [{ max: 1, per: 'fortnight' }] })).toMatch(/^campaign\.caps\[0\]\.per: /);
    expect(refusal({ id: 'x', budget: { pacing: 'even', total: 5 } })).toMatch(/^campaign\.budget\.daily: is required/);
    expect(refusal({ id: 'x', budget: { unit: 'money', total: 5 } })).toMatch(/^campaign\.budget\.costPerOffer: /);
    expect(refusal({ id: 'x', holdout: 0.9 })).toMatch(/^campaign\.holdout: /);
    expect(refusal({ id: 'x', creatives: [{ id: 'a' }, { id: 'a' }] })).toMatch(/^campaign\.creatives\[1\]\.id: /);
    expect(refusal({ id: 'x', colour: 'red' })).toMatch(/^campaign\.colour: is not a campaign field/);
  });
});
