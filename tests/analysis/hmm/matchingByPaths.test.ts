import { describe, expect, it } from 'vitest';
import { matchStatesByPaths, permutePath } from '../../../src/analysis/index.ts';

describe('matchStatesByPaths', () => {
  const reference = [
    [0, 0, 1, 1, 2, 2],
    [0, 1, 1, 2, 2, 2],
  ];

  it('undoes a relabelling of the same decoding, on the common prefix of longer runs', () => {
    // The candidate calls reference state 0 "2", 1 "0" and 2 "1", and has decoded two more checkpoints per run.
    const candidate = reference.map((p) => [...p.map((s) => [2, 0, 1][s]), 1, 1]);
    const order = matchStatesByPaths(reference, candidate, 3, 3);
    expect(order).toEqual([2, 0, 1]);
    expect(candidate.map((p) => permutePath(p, order).slice(0, 6))).toEqual(reference);
  });

  it('a candidate with more states keeps the matched ones in place and appends the rest', () => {
    const candidate = [
      [1, 1, 0, 0, 3, 3],
      [1, 0, 0, 3, 2, 3],
    ];
    const order = matchStatesByPaths(reference, candidate, 3, 4);
    expect(order.slice(0, 3)).toEqual([1, 0, 3]);
    expect(order[3]).toBe(2);
  });

  it('runs without a reference path count for nothing', () => {
    const order = matchStatesByPaths(
      [undefined, reference[1]],
      [
        [1, 1, 1],
        [0, 0, 1, 1, 1, 1],
      ],
      3,
      2,
    );
    expect(order).toEqual([0, 1]);
  });
});
