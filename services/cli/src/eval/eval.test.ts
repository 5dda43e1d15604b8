import { describe, expect, it } from 'vitest';

import { fromParts, leaveLastOut, parseInteractions, temporalSplit, timestampMs } from './interactions';
import { easeWeights, Incidence, itemKnnLists, popularityLists } from './baselines';
import { invertSymmetricPositiveDefinite } from './dense';
import { rankingMetrics } from './metrics';

describe('interactions', () => {
  it('reads user,item,timestamp[,value] with an optional header and any timestamp unit', () => {
    const rows = parseInteractions(
      'user,item,ts,rating\nu1,i1,1700000000,4\nu1,i2,1700000000500\nu2,i1,2024-01-02T03:04:05Z,1\n'
    );
    expect(rows).toEqual([
      { user: 'u1', item: 'i1', atMs: 1_700_000_000_000, value: 4 },
      { user: 'u1', item: 'i2', atMs: 1_700_000_000_500 },
      { user: 'u2', item: 'i1', atMs: Date.parse('2024-01-02T03:04:05Z'), value: 1 },
    ]);
    expect(() => parseInteractions('u1,i1,1\nu1,i1,yesterday')).toThrow(/interactions:2/);
    expect(() => parseInteractions('u1,i1,1,good')).toThrow(/value "good"/);
    expect(Number.isNaN(timestampMs('soon'))).toBe(true);
  });

  it('splits by time, by each user’s last item, or as given, judging only new items of known users', () => {
    const log = parseInteractions(['a,x,1', 'a,y,2', 'b,x,3', 'a,z,4', 'c,q,5', 'b,x,6', 'b,w,7'].join('\n'));
    const temporal = temporalSplit(log, 0.4);
    expect(temporal.train.map((i) => i.atMs / 1000)).toEqual([1, 2, 3, 4]);
    // c is unknown in training and b had x already: only b→w is judged.
    expect([...temporal.truth]).toEqual([['b', new Set(['w'])]]);
    const last = leaveLastOut(log);
    expect([...last.truth].sort()).toEqual([
      ['a', new Set(['z'])],
      ['b', new Set(['w'])],
    ]);
    expect(last.train).toHaveLength(5);
    expect([...fromParts(log.slice(0, 2), log.slice(3)).truth]).toEqual([['a', new Set(['z'])]]);
  });
});

describe('ranking metrics', () => {
  it('computes precision, recall, NDCG, hit rate and coverage at k over full rankings', () => {
    const truth = new Map([
      ['u1', new Set(['a', 'b'])],
      ['u2', new Set(['c'])],
    ]);
    const lists = new Map([
      ['u1', ['a', 'x', 'b']],
      ['u2', ['y', 'z', 'w']],
    ]);
    const m = rankingMetrics(lists, truth, 3, 10);
    expect(m.users).toBe(2);
    expect(m.precision).toBeCloseTo((2 / 3 + 0) / 2);
    expect(m.recall).toBeCloseTo((1 + 0) / 2);
    const dcg = 1 + 1 / Math.log2(4);
    const idcg = 1 + 1 / Math.log2(3);
    expect(m.ndcg).toBeCloseTo(dcg / idcg / 2);
    expect(m.hitRate).toBe(0.5);
    expect(m.coverage).toBeCloseTo(6 / 10);
  });

  it('ranks the popularity baseline by training counts, without each user’s own items', () => {
    const train = [
      { user: 'u1', item: 'a' },
      { user: 'u2', item: 'a' },
      { user: 'u2', item: 'b' },
      { user: 'u3', item: 'c' },
      { user: 'u3', item: 'b' },
      { user: 'u1', item: 'b' },
    ];
    const { lists } = popularityLists(new Incidence(train), ['u1', 'u3', 'new'], 2);
    expect(lists.get('u1')).toEqual(['c']);
    expect(lists.get('u3')).toEqual(['a']);
    expect(lists.get('new')).toEqual(['b', 'a']);
  });

  // u1 used a and b, u2 a, b and c, u3 b and c.
  const small = [
    { user: 'u1', item: 'a' },
    { user: 'u1', item: 'b' },
    { user: 'u2', item: 'a' },
    { user: 'u2', item: 'b' },
    { user: 'u2', item: 'c' },
    { user: 'u3', item: 'b' },
    { user: 'u3', item: 'c' },
  ];

  it('fits EASE^R to the hand-computed weights of a 3-item matrix', () => {
    // XᵀX + 1·I = [[3,2,1],[2,4,2],[1,2,3]], whose inverse is [[8,-4,0],[-4,8,-4],[0,-4,8]] / 16; then
    // B[j][i] = −P[j][i] / P[i][i] off the diagonal: a and c each point to b with 0.5, b to both with 0.5.
    // (+ 0 turns the exact −0 of −P/P into 0)
    expect(Array.from(easeWeights(new Incidence(small), 1), (w) => w + 0)).toEqual([0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0]);
  });

  it('scores item-kNN by cosine over users weighted 1/√(their items)', () => {
    // Rows scaled by 1/√(items): a shared user adds 1/2 (u1, u3) or 1/3 (u2) to a pair; a–b share u1 and u2,
    // a–c only u2; an item's norm is √(Σ over its users).
    const [w2, w3] = [1 / 2, 1 / 3];
    const norm = { a: Math.sqrt(w2 + w3), b: Math.sqrt(w2 + w3 + w2), c: Math.sqrt(w3 + w2) };
    const similarity = { ab: (w2 + w3) / (norm.a * norm.b), ac: w3 / (norm.a * norm.c) };
    expect(similarity.ab).toBeGreaterThan(similarity.ac);
    // u3 has b and c: a scores sim(b,a) + sim(c,a), the only item left; u1 (a, b) gets c.
    const { lists } = itemKnnLists(new Incidence(small), ['u1', 'u3', 'cold'], 2);
    expect(lists.get('u3')).toEqual(['a']);
    expect(lists.get('u1')).toEqual(['c']);
    // Without history nothing scores above zero, and ties go by first appearance.
    expect(lists.get('cold')).toEqual(['a', 'b']);
  });

  it('inverts symmetric positive definite matrices', () => {
    const n = 40;
    const m = Array.from({ length: n * n }, (_, i) => Math.sin(i * 7.3));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += m[i * n + k]! * m[j * n + k]!;
        a[i * n + j] = s;
      }
    const inverse = a.slice();
    invertSymmetricPositiveDefinite(inverse, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * inverse[k * n + j]!;
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-12);
      }
    expect(() => invertSymmetricPositiveDefinite(new Float64Array([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});
