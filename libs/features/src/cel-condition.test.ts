import { describe, expect, it } from 'vitest';

import { type InvalidArgumentError } from '@dmp/runtime';

import { compileCondition } from './cel-condition';

const input = (profile: Record<string, number | string | boolean> = {}, context: Record<string, string> = {}) => ({
  profile: new Map(Object.entries(profile)),
  context,
  event: {},
});

describe('targeting conditions', () => {
  it('evaluates over profile, context and event, and knows which features it reads', () => {
    const c = compileCondition(
      'targeting',
      'profile["user.views_7d"] > 3.0 && context.channel == "app" && profile.vip == true'
    );
    expect([...c.profileFeatures].sort()).toEqual(['user.views_7d', 'vip']);
    expect(c.usesProfile).toBe(true);
    expect(c.matches(input({ 'user.views_7d': 5, vip: true }, { channel: 'app' }))).toBe(true);
    expect(c.matches(input({ 'user.views_7d': 2, vip: true }, { channel: 'app' }))).toBe(false);
    const trigger = compileCondition('trigger.condition', 'event.type == "roaming_start" && event.country != "RU"');
    expect(trigger.usesProfile).toBe(false);
    expect(trigger.matches({ ...input(), event: { type: 'roaming_start', country: 'TR' } })).toBe(true);
  });

  it('is false, not an error, when a value is missing or of another type', () => {
    const c = compileCondition('targeting', 'profile["user.views_7d"] > 3.0');
    expect(c.matches(input())).toBe(false);
    expect(c.matches(input({ 'user.views_7d': 'many' }))).toBe(false);
  });

  it('refuses at compile time what does not parse or names anything but profile, segments, context and event', () => {
    const refused = (source: string): InvalidArgumentError => {
      try {
        compileCondition('campaign.targeting', source);
      } catch (error) {
        return error as InvalidArgumentError;
      }
      throw new Error(`"${source}" compiled`);
    };
    expect(refused('profile.views >').message).toMatch(/^campaign\.targeting: is not a CEL expression: /);
    expect(refused('user.views > 3').message).toBe(
      'campaign.targeting: names "user"; an expression may use profile, segments, context, event'
    );
    // Comprehension variables are not free names.
    expect(compileCondition('t', '["a", "b"].exists(x, x == context.channel)').usesProfile).toBe(false);
    expect(refused('[1].all(x, y > 0)').message).toMatch(/names "y"/);
    expect(refused('{"k": nope}["k"]').message).toMatch(/names "nope"/);
  });
});
