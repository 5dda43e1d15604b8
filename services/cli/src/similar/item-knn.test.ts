import { describe, expect, it } from 'vitest';

import { InteractionMatrix, itemKnn } from './item-knn';

function matrixOf(rows: [string, string][]): InteractionMatrix {
  const matrix = new InteractionMatrix();
  for (const [user, item] of rows) matrix.add(user, item);
  return matrix;
}

describe('itemKnn', () => {
  const options = { neighbours: 10, minCommonUsers: 1, maxItemsPerUser: 100, shrink: 0 };

  it('is the cosine of the items’ user sets, symmetric, best first', () => {
    // a: u1 u2 u3; b: u1 u2; c: u3.  cos(a,b) = 2/sqrt(3*2), cos(a,c) = 1/sqrt(3*1).
    const knn = itemKnn(
      matrixOf([
        ['u1', 'a'],
        ['u1', 'b'],
        ['u2', 'a'],
        ['u2', 'b'],
        ['u3', 'a'],
        ['u3', 'c'],
      ]),
      options
    );
    const of = (item: string) => knn.find((r) => r.itemId === item)!.neighbours;
    expect(of('a').map((n) => n.itemId)).toEqual(['b', 'c']);
    expect(of('a')[0]!.score).toBeCloseTo(2 / Math.sqrt(6));
    expect(of('a')[1]!.score).toBeCloseTo(1 / Math.sqrt(3));
    expect(of('b')).toEqual([{ itemId: 'a', score: of('a')[0]!.score }]);
    expect(of('c')[0]!.itemId).toBe('a');
  });

  it('counts a user’s repeated item once, and only the latest items of a heavy user', () => {
    const knn = itemKnn(
      matrixOf([
        ['u1', 'a'],
        ['u1', 'a'],
        ['u1', 'b'],
        ['u2', 'old'],
        ['u2', 'a'],
        ['u2', 'b'],
      ]),
      { ...options, maxItemsPerUser: 2 }
    );
    const a = knn.find((r) => r.itemId === 'a')!.neighbours;
    expect(a).toEqual([{ itemId: 'b', score: 1 }]); // both users have exactly {a, b}; u2's "old" fell off
    expect(knn.find((r) => r.itemId === 'old')).toBeUndefined();
  });

  it('needs the minimum overlap, damps small overlaps, and keeps k neighbours', () => {
    const rows: [string, string][] = [];
    for (let u = 0; u < 4; u++) rows.push([`u${u}`, 'a'], [`u${u}`, 'b']);
    rows.push(['solo', 'a'], ['solo', 'c'], ['solo', 'd']);
    const matrix = matrixOf(rows);
    const strict = itemKnn(matrix, { ...options, minCommonUsers: 2 });
    expect(strict.find((r) => r.itemId === 'a')!.neighbours.map((n) => n.itemId)).toEqual(['b']);
    expect(strict.find((r) => r.itemId === 'c')).toBeUndefined();
    const damped = itemKnn(matrix, { ...options, shrink: 4 });
    const ab = damped.find((r) => r.itemId === 'a')!.neighbours[0]!;
    expect(ab.score).toBeCloseTo((4 / Math.sqrt(5 * 4)) * (4 / 8));
    const one = itemKnn(matrix, { ...options, neighbours: 1 });
    expect(one.find((r) => r.itemId === 'a')!.neighbours).toHaveLength(1);
  });
});
