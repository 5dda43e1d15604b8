import { describe, expect, it } from 'vitest';

import { encodeItemNeighbours, ItemNeighbours } from '@dmp/scorer';

import { CandidatePool } from './pool';
import { TrainedScores, topIndexes } from './trained';

const table = (rows: Record<string, Record<string, number>>, layout: 'csr' | 'dense' = 'csr'): ItemNeighbours =>
  ItemNeighbours.parse(
    encodeItemNeighbours(
      'ease',
      new Map(
        Object.entries(rows).map(([item, to]) => [
          item,
          Object.entries(to).map(([itemId, weight]) => ({ itemId, weight })),
        ])
      ),
      {},
      layout
    )
  );

describe('trained candidates', () => {
  // h1 … h60 are a user's history, newest first; only the oldest, h60, points to "gem".
  const rows: Record<string, Record<string, number>> = { h60: { gem: 2, h1: 0.1 }, h1: { stone: 0.5, gem: -0.5 } };
  for (let i = 2; i < 60; i++) rows[`h${i}`] = { stone: 0.01 };
  const history = Array.from({ length: 60 }, (_, i) => `h${i + 1}`);

  for (const layout of ['csr', 'dense'] as const) {
    it(`scores every item from the whole history, and brings the best in (${layout} tables)`, () => {
      // The same weights as item-kNN too: the second table scores only the candidates.
      const scores = new TrainedScores({ ease: table(rows, layout), knn: table(rows, layout) }, history);
      const pool = new CandidatePool(new Set(history));
      scores.addBest(pool, 2);
      const candidates = pool.all();
      expect(candidates.map((c) => c.itemId).sort()).toEqual(['gem', 'stone']);
      scores.rate(candidates);
      const [gem, stone] = ['gem', 'stone'].map((id) => pool.get(id)!);
      expect(gem!.trained).toBeCloseTo(1.5);
      expect(gem!.ease).toBeCloseTo(1.5);
      expect(gem!.knn).toBeCloseTo(1.5);
      expect(stone!.ease).toBeCloseTo(0.5 + 58 * 0.01);
      expect(stone!.fromHistory).toBe(true);
      // "Because you used h60": the history item with the largest weight to it, h1's is negative.
      expect(scores.sourceOf('gem')).toBe('h60');
      expect(scores.sourceOf('stone')).toBe('h1');
    });
  }

  it('says nothing for a user whose history the tables do not know', () => {
    const scores = new TrainedScores({ ease: table(rows) }, ['unknown']);
    expect(scores.any).toBe(false);
    const pool = new CandidatePool(new Set());
    scores.addBest(pool, 10);
    expect(pool.all()).toEqual([]);
  });

  it('selects the k largest scores, largest first, ties by index', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
    const expected = Array.from(values.keys())
      .sort((a, b) => values[b]! - values[a]! || a - b)
      .slice(0, 37);
    expect(topIndexes(values, 37)).toEqual(expected);
    expect(topIndexes(Float32Array.from([1, 3, 3, 2]), 3)).toEqual([1, 2, 3]);
    expect(topIndexes(values, 0)).toEqual([]);
    // Negative weights (EASE^R has them), many ties at the cut, −0 beside 0, more asked than there are.
    const tied = Float32Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? -0 : i % 3 === 0 ? 0 : (i % 11) - 5));
    const byScore = Array.from(tied.keys()).sort((a, b) => tied[b]! - tied[a]! || a - b);
    for (const k of [1, 40, 200, 499, 500, 900]) expect(topIndexes(tied, k)).toEqual(byScore.slice(0, k));
  });
});
