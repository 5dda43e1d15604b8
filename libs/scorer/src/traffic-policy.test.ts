import { describe, expect, it } from 'vitest';

import {
  armOf,
  initialPolicy,
  parseTrafficPolicy,
  PolicyError,
  promote,
  rollback,
  setChallenger,
  setShadow,
  uses,
  versionsOf,
} from './traffic-policy';

const now = new Date('2026-11-26T00:00:00Z');
const subjects = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('traffic policy', () => {
  it('splits subjects deterministically, close to the configured share, over 10k subjects', () => {
    for (const share of [0.05, 0.2, 0.5]) {
      const policy = setChallenger(initialPolicy('v1', now), 'v2', share, now);
      const arms = subjects.map((s) => armOf('ranker', policy, s));
      const challengers = arms.filter((a) => a === 'challenger').length / subjects.length;
      expect(Math.abs(challengers - share)).toBeLessThan(0.015);
      // Same subject, same arm: on another call, another replica, after a restart (no state involved).
      expect(subjects.map((s) => armOf('ranker', policy, s))).toEqual(arms);
    }
  });

  it('raising the share only moves subjects from champion to challenger', () => {
    const at10 = setChallenger(initialPolicy('v1', now), 'v2', 0.1, now);
    const at30 = setChallenger(at10, 'v2', 0.3, now);
    const moved = subjects.filter((s) => armOf('ranker', at10, s) === 'challenger');
    expect(Math.abs(moved.length / subjects.length - 0.1)).toBeLessThan(0.015);
    expect(moved.map((s) => armOf('ranker', at30, s))).toEqual(moved.map(() => 'challenger'));
  });

  it('draws a new split for another challenger or another model, and sends anonymous calls to the champion', () => {
    const a = setChallenger(initialPolicy('v1', now), 'v2', 0.5, now);
    const b = setChallenger(initialPolicy('v1', now), 'v3', 0.5, now);
    const same = subjects.filter((s) => armOf('ranker', a, s) === armOf('ranker', b, s)).length;
    expect(same / subjects.length).toBeGreaterThan(0.4);
    expect(same / subjects.length).toBeLessThan(0.6);
    const other = subjects.filter((s) => armOf('ranker', a, s) === armOf('other', a, s)).length;
    expect(other / subjects.length).toBeLessThan(0.6);
    expect(armOf('ranker', a, '')).toBe('champion');
  });

  it('promotes, remembers earlier champions and rolls back to them', () => {
    let p = initialPolicy('v1', now);
    p = setShadow(p, 'v3', true, now);
    p = promote(p, 'v2', now);
    p = promote(p, 'v3', now);
    expect(p).toMatchObject({ champion: 'v3', shadows: [], previousChampions: ['v2', 'v1'] });
    p = rollback(p, now);
    expect(p).toMatchObject({ champion: 'v2', previousChampions: ['v1'] });
    p = rollback(p, now);
    expect(p).toMatchObject({ champion: 'v1', previousChampions: [] });
    expect(() => rollback(p, now)).toThrow(PolicyError);
  });

  it('promoting the challenger ends the split; a champion cannot be its own challenger or shadow', () => {
    const p = setChallenger(initialPolicy('v1', now), 'v2', 0.1, now);
    expect(promote(p, 'v2', now).challenger).toBeUndefined();
    expect(() => setChallenger(p, 'v1', 0.1, now)).toThrow(/champion already/);
    expect(() => setChallenger(p, 'v2', 1, now)).toThrow(/share/);
    expect(() => setShadow(p, 'v2', true, now)).toThrow(/serves traffic/);
    expect(setChallenger(p, 'v2', 0, now).challenger).toBeUndefined();
  });

  it('lists the versions to load and the ones in use', () => {
    const p = setShadow(setChallenger(promote(initialPolicy('v1', now), 'v2', now), 'v3', 0.2, now), 'v4', true, now);
    expect(versionsOf(p)).toEqual(['v2', 'v3', 'v4']);
    expect(uses(p, 'v1')).toBe(true);
    expect(uses(p, 'v5')).toBe(false);
  });

  it('parses what it writes and refuses a mangled policy', () => {
    const p = setChallenger(initialPolicy('v1', now), 'v2', 0.25, now);
    expect(parseTrafficPolicy(JSON.parse(JSON.stringify(p)))).toEqual(p);
    expect(() => parseTrafficPolicy({ shadows: [] })).toThrow(/champion/);
    expect(() => parseTrafficPolicy({ ...p, challenger: { version: 'v2', share: 2 } })).toThrow(/challenger/);
    expect(() => parseTrafficPolicy({ ...p, shadows: ['bad version!'] })).toThrow(/shadows/);
  });
});
