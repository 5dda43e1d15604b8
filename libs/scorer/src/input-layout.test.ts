import { describe, expect, it } from 'vitest';

import { InputLayout } from './input-layout';

const layout = new InputLayout([
  { name: 'a', type: 'float', default: -1 },
  { name: 'b', type: 'float', default: -2 },
  { name: 'c', type: 'float', default: -3 },
]);

describe('InputLayout', () => {
  it('passes rows in its own order through untouched', () => {
    const rows = Float32Array.of(1, 2, 3, 4, 5, 6);
    expect(layout.arrange(rows)).toBe(rows);
    expect(layout.arrange(rows, ['a', 'b', 'c'])).toBe(rows);
  });

  it('puts missing values (NaN) at their default without touching the caller’s array', () => {
    const rows = Float32Array.of(1, NaN, 3, NaN, 5, NaN);
    expect([...layout.arrange(rows)]).toEqual([1, -2, 3, -1, 5, -3]);
    expect(Number.isNaN(rows[1])).toBe(true);
  });

  it('reorders named columns, ignores unknown ones and defaults the ones not sent', () => {
    const rows = Float32Array.of(30, 99, 10, 31, 98, NaN);
    expect([...layout.arrange(rows, ['c', 'extra', 'a'])]).toEqual([10, -2, 30, -1, -2, 31]);
    expect(layout.unknownColumn(['c', 'extra', 'a'])).toBe('extra');
    expect(layout.unknownColumn(['a'])).toBeUndefined();
  });
});
