import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { describe, expect, it } from 'vitest';

import { compileCondition } from './cel-condition';
import { compileFastPath } from './cel-fast-path';

const EXPRESSIONS = [
  'profile["a"] >= 3.0',
  'profile["a"] < 2.5 || profile["b"] > 1.0',
  '!(profile["a"] == 2.0) && "b" in profile',
  '"a" in profile && profile["a"] != 0.0',
  'profile["a"] > 1.0 && profile["b"] <= 2.0 || !("c" in profile)',
  '"vip" in segments && !("churned" in segments) || profile["c"] >= 1.0',
  '!(profile["a"] > 1.0)',
  'profile["a"] >= profile["b"]',
  'true && profile["a"] > 0.5',
  'false || profile["b"] < 3.0',
  // Not for the fast path: an int literal, a string value, a function: the interpreter decides.
  'profile["a"] >= 3',
  'profile["s"] == "x"',
  'size(segments) > 0',
];

describe('the CEL fast path', () => {
  it('takes the conditions segments are made of', () => {
    expect(compileFastPath(parse('profile["a"] >= 3.0 && "vip" in segments').expr)).toBeDefined();
    expect(compileFastPath(parse('profile["a"] >= 3').expr)).toBeUndefined();
    expect(compileFastPath(parse('size(segments) > 0').expr)).toBeUndefined();
  });

  it('agrees with the CEL interpreter, errors and missing features included, over random profiles', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const env = celEnv();
    for (const source of EXPRESSIONS) {
      const ours = compileCondition('c', source, ['profile', 'segments']);
      const interpreted = plan(env, parse(source));
      for (let n = 0; n < 300; n++) {
        const profile = new Map<string, number | string>();
        for (const key of ['a', 'b', 'c']) if (random() < 0.7) profile.set(key, Math.floor(random() * 8) / 2);
        if (random() < 0.5) profile.set('s', random() < 0.5 ? 'x' : 'y');
        const segments = ['vip', 'churned', 'new'].filter(() => random() < 0.4);
        const result = interpreted({ profile, context: {}, event: {}, segments });
        const expected = !isCelError(result) && result === true;
        const bindings = { profile, context: {}, event: {}, segments };
        expect({ source, profile: [...profile], segments, match: ours.matches(bindings) }).toEqual({
          source,
          profile: [...profile],
          segments,
          match: expected,
        });
      }
    }
  });
});
