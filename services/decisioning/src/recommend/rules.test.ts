import { describe, expect, it } from 'vitest';

import { InvalidArgumentError } from '@dmp/runtime';

import { isBlocked, NO_RULES, parseRules } from './rules';

describe('recommend rules', () => {
  it('reads a tenant’s rules, with defaults for what is left out', () => {
    expect(parseRules({})).toEqual(NO_RULES);
    expect(
      parseRules({
        blockedCategories: ['tobacco', 'adult/'],
        maxPerCategory: 2,
        surfaces: { cart: { exclude: 'nothing' }, home: {} },
      })
    ).toEqual({
      blockedCategories: ['tobacco', 'adult'],
      maxPerCategory: 2,
      surfaces: { cart: { exclude: 'nothing' }, home: { exclude: 'seen' } },
    });
  });

  it('names the field of a bad rule', () => {
    const cases: [unknown, string][] = [
      [[], 'rules'],
      [{ blocked: [] }, 'blocked'],
      [{ blockedCategories: 'tobacco' }, 'blockedCategories'],
      [{ blockedCategories: ['ok', ''] }, 'blockedCategories[1]'],
      [{ maxPerCategory: -1 }, 'maxPerCategory'],
      [{ maxPerCategory: 1.5 }, 'maxPerCategory'],
      [{ surfaces: { 'Bad Surface': {} } }, 'surfaces.Bad Surface'],
      [{ surfaces: { cart: { exclude: 'no' } } }, 'surfaces.cart.exclude'],
      [{ surfaces: { cart: { excludeHistory: false } } }, 'surfaces.cart.excludeHistory'],
    ];
    for (const [raw, field] of cases) {
      let error: unknown;
      try {
        parseRules(raw);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(raw)).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe(field);
    }
  });

  it('blocks a category and everything under it, not its look-alikes', () => {
    const rules = parseRules({ blockedCategories: ['adult'] });
    expect(isBlocked(rules, 'adult')).toBe(true);
    expect(isBlocked(rules, 'adult/films')).toBe(true);
    expect(isBlocked(rules, 'adultery-novels')).toBe(false);
    expect(isBlocked(rules, undefined)).toBe(false);
  });
});
