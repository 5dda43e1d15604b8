import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { encodeItemNeighbours, ItemNeighbours } from './item-neighbours';

// a points to b (0.5) and c (−0.25); b to a (0.5) and c (0.5); c to b (1).
const rows = new Map([
  [
    'a',
    [
      { itemId: 'b', weight: 0.5 },
      { itemId: 'c', weight: -0.25 },
    ],
  ],
  [
    'b',
    [
      { itemId: 'a', weight: 0.5 },
      { itemId: 'c', weight: 0.5 },
    ],
  ],
  ['c', [{ itemId: 'b', weight: 1 }]],
]);

describe('item neighbour tables', () => {
  it('round-trips, and scores a history as the sum of its items’ weights', () => {
    const table = ItemNeighbours.parse(encodeItemNeighbours('ease', rows, { lambda: 500 }));
    expect(table.header).toMatchObject({ kind: 'ease', items: 3, entries: 5, lambda: 500 });
    expect(table.itemIds).toEqual(['a', 'b', 'c']);
    const scores = new Float32Array(3);
    const user = [table.indexOf('a')!, table.indexOf('c')!];
    // A user with a and c: b gets 0.5 + 1, c gets −0.25, a nothing.
    table.accumulate(user, scores);
    expect(Array.from(scores)).toEqual([0, 1.5, -0.25]);
    expect(table.scoreOf(1, user)).toBe(1.5);
    expect(table.itemIds[table.strongestTo(1, user)]).toBe('c');
    expect(table.weight(0, 2)).toBe(-0.25);
    expect(table.weight(2, 0)).toBe(0);
    // The dense layout holds the same, and answers the same.
    const dense = ItemNeighbours.parse(encodeItemNeighbours('ease', rows, {}, 'dense'));
    expect(dense.header).toMatchObject({ layout: 'dense', items: 3 });
    const denseScores = new Float32Array(3);
    dense.accumulate(user, denseScores);
    expect(Array.from(denseScores)).toEqual([0, 1.5, -0.25]);
    expect(dense.scoreOf(1, user)).toBe(1.5);
  });

  it('reads what the Python trainer writes (its pytest writes the same bytes)', () => {
    // EASE^R with λ = 1 on 3 users × 3 items (services/trainer/tests: the hand-computed example).
    const fixture = resolve(__dirname, '../../../services/trainer/tests/fixtures/tiny-ease.nbrs');
    const table = ItemNeighbours.parse(readFileSync(fixture));
    expect(table.header).toMatchObject({ kind: 'ease', items: 3, entries: 4, lambda: 1 });
    expect(table.itemIds).toEqual(['a', 'b', 'c']);
    const scores = new Float32Array(3);
    table.accumulate([0, 2], scores); // a user with a and c: 0.5 from each to b
    expect(Array.from(scores)).toEqual([0, 1, 0]);
  });

  it('reads the trainer’s dense tables (item-kNN of the same matrix: 6 of 9 weights kept)', () => {
    const fixture = resolve(__dirname, '../../../services/trainer/tests/fixtures/tiny-knn.nbrs');
    const table = ItemNeighbours.parse(readFileSync(fixture));
    expect(table.header).toMatchObject({ kind: 'knn', layout: 'dense', items: 3, entries: 6 });
    // Symmetric, no self-similarity; a–b (two shared users) above a–c (one).
    expect(table.weight(0, 0)).toBe(0);
    expect(table.weight(0, 1)).toBe(table.weight(1, 0));
    expect(table.weight(0, 1)).toBeGreaterThan(table.weight(0, 2));
    expect(table.weight(0, 2)).toBeGreaterThan(0);
  });

  it('reads a table from any byte offset (as bytes come out of a larger buffer)', () => {
    const bytes = encodeItemNeighbours('knn', rows);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(ItemNeighbours.parse(shifted.subarray(1)).size).toBe(3);
  });

  it('refuses a damaged table rather than serve part of it', () => {
    const bytes = encodeItemNeighbours('ease', rows);
    expect(() => ItemNeighbours.parse(bytes.subarray(0, bytes.length - 4))).toThrow(/bytes, expected/);
    const wrong = bytes.slice();
    wrong[0] = 0x58;
    expect(() => ItemNeighbours.parse(wrong)).toThrow(/not a DMPNBRS1 file/);
    // The last target index points past the items.
    const outOfRange = bytes.slice();
    new DataView(outOfRange.buffer).setUint32(outOfRange.length - 4 * 5 - 4, 7, true);
    expect(() => ItemNeighbours.parse(outOfRange)).toThrow(/points to item 7 of 3|not ascending/);
  });
});
