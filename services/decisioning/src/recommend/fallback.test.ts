import { describe, expect, it } from 'vitest';

import { DEADLINE, LastKnownPopular, nonPersonalAnswer, withinBudget } from './fallback';
import type { CandidateSource, ScoredItem } from './recommend';

const request = { tenantId: 't', userId: 'u', decisionId: 'd', n: 2, exclude: new Set(['a']), currentItemId: 'b' };
const popular: ScoredItem[] = ['a', 'b', 'c', 'd', 'e'].map((itemId, i) => ({ itemId, score: 10 - i }));

describe('fallback', () => {
  it('answers with popular items, minus exclusions and the current item, non-personal', () => {
    expect(nonPersonalAnswer(request, popular)).toEqual({
      items: [
        { itemId: 'c', score: 8, reasons: [{ code: 'popular' }], features: [] },
        { itemId: 'd', score: 7, reasons: [{ code: 'popular' }], features: [] },
      ],
      modelVersion: '',
      rankedBy: 'none',
      personalized: false,
      consented: true,
    });
    expect(nonPersonalAnswer(request, []).items).toEqual([]);
  });

  it('gives up on work that takes longer than the budget, and drops its late failure', async () => {
    let fail: (e: Error) => void = () => undefined;
    const slow = new Promise<number>((_, reject) => (fail = reject));
    expect(await withinBudget(slow, 5)).toBe(DEADLINE);
    fail(new Error('late')); // must not surface as an unhandled rejection
    expect(await withinBudget(Promise.resolve(7), 1_000)).toBe(7);
    await expect(withinBudget(Promise.reject(new Error('down')), 1_000)).rejects.toThrow('down');
  });

  it('remembers the longest latest popular list per tenant', async () => {
    let list = popular;
    const inner = { popular: async (_t: string, limit: number) => list.slice(0, limit) } as CandidateSource;
    const source = new LastKnownPopular(inner);
    expect(source.get('t')).toEqual([]);
    await source.popular('t', 5);
    await source.popular('t', 2); // a shorter read does not shrink what a fallback can offer
    expect(source.get('t')).toHaveLength(5);
    list = popular.slice().reverse();
    await source.popular('t', 5);
    expect(source.get('t')[0]!.itemId).toBe('e');
  });
});
