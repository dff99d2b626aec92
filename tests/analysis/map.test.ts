import { describe, expect, it } from 'vitest';
import { buildTrainingMap, linearOrder, rankFeatures, type HMMParams } from '../../src/analysis/index.ts';

const eye = (d: number, s = 1) =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? s : 0)));

describe('training map', () => {
  it('ranks features by the precision diagonal', () => {
    const cov = [
      [4, 0, 0],
      [0, 0.25, 0],
      [0, 0, 1],
    ];
    expect(rankFeatures(cov, ['a', 'b', 'c']).map((f) => f.feature)).toEqual(['b', 'c', 'a']);
    // Correlation matters: the diagonal of the inverse, not the inverse of the diagonal.
    const corr = [
      [1, 0.9, 0],
      [0.9, 1, 0],
      [0, 0, 1.5],
    ];
    const r = rankFeatures(corr, ['a', 'b', 'c']);
    expect(r[0].importance).toBeCloseTo(1 / (1 - 0.81), 10);
    expect(r[2].feature).toBe('c');
  });

  it('edges only where paths go, with labels, probabilities, counts and convergence', () => {
    const params: HMMParams = {
      startprob: [1, 0, 0, 0],
      transmat: [
        [0.8, 0.1, 0.1, 0],
        [0, 0.9, 0, 0.1],
        [0, 0, 0.9, 0.1],
        [0, 0, 0, 1],
      ],
      means: [
        [0, 0, 0],
        [-0.59, 0.1, 0],
        [0.5, 0, 0],
        [1, 1, 1],
      ],
      covars: [
        eye(3),
        [
          [0.1, 0, 0],
          [0, 1, 0],
          [0, 0, 2],
        ],
        eye(3),
        eye(3),
      ],
    };
    const paths = [
      [0, 0, 1, 1, 3],
      [0, 2, 2, 3, 3],
      [0, 1, 3, 3, 3],
    ];
    const map = buildTrainingMap(params, paths, ['l2', 'l1', 'trace'], [4, 9, 2]);
    expect(map.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['0>1', '0>2', '1>3', '2>3']);
    const e01 = map.edges[0];
    expect(e01.runs).toBe(2);
    expect(e01.probability).toBe(0.1);
    expect(e01.meanConvergence).toBe(3);
    expect(e01.label).toBe('l2 ↓0.59, l1 ↑0.10, trace ↑0.00');
    expect(map.nodes[1].label).toBe('l2, l1, trace');
    expect(map.nodes[0]).toMatchObject({ runs: 3, checkpoints: 4, meanFirstVisit: 0 });
    expect(map.nodes[3].meanFirstVisit).toBeCloseTo((4 + 3 + 2) / 3, 12);
    expect(map.shape).toBe('forking');
  });

  it('linear when the edges form one path every run follows', () => {
    expect(
      linearOrder(
        [
          [2, 2, 0, 1],
          [2, 0, 0, 1, 1],
        ],
        [
          { from: 2, to: 0 },
          { from: 0, to: 1 },
        ],
      ),
    ).toEqual([2, 0, 1]);
    expect(linearOrder([[0, 0, 0]], [])).toEqual([0]);
    // A run going back makes a cycle; a branch makes a fork.
    expect(
      linearOrder(
        [[0, 1, 0]],
        [
          { from: 0, to: 1 },
          { from: 1, to: 0 },
        ],
      ),
    ).toBeNull();
    expect(
      linearOrder(
        [
          [0, 1],
          [0, 2],
        ],
        [
          { from: 0, to: 1 },
          { from: 0, to: 2 },
        ],
      ),
    ).toBeNull();
    expect(
      linearOrder(
        [
          [0, 1],
          [2, 1],
        ],
        [
          { from: 0, to: 1 },
          { from: 2, to: 1 },
        ],
      ),
    ).toBeNull();
  });
});
