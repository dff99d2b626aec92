import { describe, expect, it } from 'vitest';
import { describeDropped, joinRunSeries, renameAndJoin, seedInName, type RunSeries } from '../../src/io/seriesJoin.ts';

const run = (cols: Record<string, [number, number][]>): RunSeries =>
  new Map(Object.entries(cols).map(([c, pts]) => [c, { file: `${c}.csv`, series: new Map(pts) }]));

describe('runs from per-column series', () => {
  it('joins on the steps every column has, counts what it leaves out, orders runs naturally or as given', () => {
    const byRun = new Map([
      [
        'seed10',
        run({
          l2: [
            [0, 1],
            [5, 2],
          ],
          l1: [
            [5, 3],
            [0, 4],
            [9, 9],
          ],
        }),
      ],
      ['seed2', run({ l1: [[1, 1]] })],
    ]);
    const j = joinRunSeries(byRun);
    expect(j.runs.map((r) => [r.id, r.seed, { ...r.checkpoints }])).toEqual([
      ['seed2', 2, { step: [1], l1: [1] }],
      ['seed10', 10, { step: [0, 5], l1: [4, 3], l2: [1, 2] }],
    ]);
    expect(j.dropped).toEqual([{ run: 'seed10', column: 'l1', rows: 1 }]);
    expect(describeDropped(j.dropped, 'tag')).toEqual([
      "run seed10: 1 row of 'l1' left out (steps some other tag of the run did not log)",
    ]);
    expect(joinRunSeries(byRun, 'given').runs.map((r) => r.id)).toEqual(['seed10', 'seed2']);
    expect(seedInName('lr0.1_seed-3')).toBe(3);
    expect(seedInName('bright-sun-1')).toBeNull();
  });

  it('a run whose columns share no step, or whose rename collides, is left out with why', () => {
    const apart = joinRunSeries(new Map([['a', run({ l1: [[0, 1]], l2: [[1, 1]] })]]));
    expect(apart.bad.map((b) => b.error.message)).toEqual([
      "l1.csv: run 'a': its tags (l1, l2) share no step, so no checkpoint has every value",
    ]);
    const clash = renameAndJoin(new Map([['a', run({ eval_accuracy: [[0, 1]], eval_acc: [[0, 1]] })]]));
    expect(clash.bad.map((b) => b.error.message)).toEqual([
      "eval_accuracy.csv: run 'a': 'eval_accuracy' would become column 'eval_acc', which 'eval_acc' also becomes",
    ]);
    expect(clash.runs).toEqual([]);
  });
});
