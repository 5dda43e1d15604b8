import { describe, expect, it } from 'vitest';

import { MicroBatcher } from './micro-batcher';

/** A fake model of width 2 whose score is the row's sum; records the rows of each run. */
function fakeRunner(fail = false) {
  const runs: number[] = [];
  return {
    runs,
    runner: {
      width: 2,
      score: (rows: Float32Array) => {
        runs.push(rows.length / 2);
        if (fail) return Promise.reject(new Error('boom'));
        return Promise.resolve(
          Float32Array.from({ length: rows.length / 2 }, (_, i) => rows[2 * i]! + rows[2 * i + 1]!)
        );
      },
    },
  };
}

describe('MicroBatcher', () => {
  it('joins calls made in the same turn into one run and gives each caller its own scores', async () => {
    const { runs, runner } = fakeRunner();
    const batcher = new MicroBatcher(runner);
    const results = await Promise.all([
      batcher.score(Float32Array.of(1, 1)),
      batcher.score(Float32Array.of(2, 2, 3, 3)),
      batcher.score(Float32Array.of(4, 4)),
    ]);
    expect(runs).toEqual([4]);
    expect(results.map((r) => [...r])).toEqual([[2], [4, 6], [8]]);
  });

  it('runs calls of later turns separately', async () => {
    const { runs, runner } = fakeRunner();
    const batcher = new MicroBatcher(runner);
    expect([...(await batcher.score(Float32Array.of(1, 2)))]).toEqual([3]);
    expect([...(await batcher.score(Float32Array.of(3, 4)))]).toEqual([7]);
    expect(runs).toEqual([1, 1]);
  });

  it('fails every call of a failed run', async () => {
    const { runner } = fakeRunner(true);
    const batcher = new MicroBatcher(runner);
    const results = await Promise.allSettled([
      batcher.score(Float32Array.of(1, 1)),
      batcher.score(Float32Array.of(2, 2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
