import { describe, expect, it } from 'vitest';

import { excludedItems, isAvailable } from './filters';

describe('filters', () => {
  const history = { items: ['viewed', 'bought'], bought: ['bought', 'long-ago'] };

  it('leaves out the request’s exclusions, the page’s item and the history the surface wants left out', () => {
    expect([...excludedItems(['x'], 'page', history, 'seen')].sort()).toEqual([
      'bought',
      'long-ago',
      'page',
      'viewed',
      'x',
    ]);
    expect([...excludedItems(['x'], undefined, history, 'bought')].sort()).toEqual(['bought', 'long-ago', 'x']);
    expect([...excludedItems([], 'page', history, 'nothing')]).toEqual(['page']);
  });

  it('keeps items the catalog does not know, drops unavailable and out-of-stock ones', () => {
    expect(isAvailable(undefined)).toBe(true);
    expect(isAvailable({ stock: 3 })).toBe(true);
    expect(isAvailable({ stock: 0 })).toBe(false);
    expect(isAvailable({ available: false, stock: 5 })).toBe(false);
  });
});
