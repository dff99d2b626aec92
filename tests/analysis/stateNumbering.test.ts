import { describe, expect, it } from 'vitest';
import { firstVisitOrder, numberStates, type HMMParams } from '../../src/analysis/index.ts';

/** A model whose states sit at the given 1-D means (the other parameters only need the right shapes). */
function atMeans(means: number[]): HMMParams {
  const k = means.length;
  return {
    startprob: new Array(k).fill(1 / k),
    transmat: Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))),
    means: means.map((m) => [m]),
    covars: means.map(() => [[1]]),
  };
}

describe('numbering states by first visit', () => {
  it('orders by the mean relative first visit over the runs that visit a state; unvisited states last', () => {
    // State 2 is first in both runs, state 0 comes halfway, state 1 a quarter in, state 3 never.
    const paths = [
      [2, 2, 1, 1, 0, 0, 0, 0],
      [2, 1, 0, 0],
    ];
    expect(firstVisitOrder(paths, 4)).toEqual([2, 1, 0, 3]);
    // Ties keep the fitted order.
    expect(firstVisitOrder([[1, 0]], 3)).toEqual([1, 0, 2]);
  });

  it('without a previous fit, identities are the numbers', () => {
    const n = numberStates(atMeans([5, 0]), [[1, 1, 0]]);
    expect(n).toEqual({ order: [1, 0], identity: [0, 1], matchedBy: 'none' });
  });

  it('a refit keeps time order in its numbers while the identities follow the matched previous states', () => {
    // The previous fit knew the states in the order 0 (mean 0), 1 (mean 10), 2 (mean 20). In the refit the state
    // at 20 is now visited first: it becomes number 0 but keeps identity 2.
    const previous = { params: atMeans([0, 10, 20]), features: ['f'] };
    const fitted = atMeans([10.5, 19.5, -0.5]);
    const paths = [[1, 1, 2, 2, 0, 0]];
    const n = numberStates(fitted, paths, { fit: previous });
    expect(n.order).toEqual([1, 2, 0]);
    expect(n.identity).toEqual([2, 0, 1]);
    expect(n.matchedBy).toBe('means');
    // The previous fit's own identities are handed on, not its numbers.
    expect(numberStates(fitted, paths, { fit: { ...previous, identity: [4, 6, 5] } }).identity).toEqual([5, 4, 6]);
  });

  it('new states (K grew) take identities the previous fit did not use; a shrinking K drops the unmatched ones', () => {
    const previous = { params: atMeans([0, 10]), features: ['f'], identity: [0, 2] };
    const grown = numberStates(atMeans([0, 30, 10]), [[0, 2, 1]], { fit: previous });
    expect(grown.order).toEqual([0, 2, 1]);
    expect(grown.identity).toEqual([0, 2, 1]);
    const shrunk = numberStates(atMeans([10.2]), [[0, 0]], { fit: { ...previous, identity: [3, 7] } });
    expect(shrunk.identity).toEqual([7]);
  });

  it('matches by the checkpoints both fits decoded when the previous paths are given, whatever the means say', () => {
    // Means would pair the states crosswise; the decoded runs say state 0 now covers what state 1 did before.
    const previous = { params: atMeans([0, 10]), features: ['f'], identity: [8, 9] };
    const n = numberStates(atMeans([1, 9]), [[0, 0, 1, 1]], { fit: previous, pathsOfRuns: [[1, 1, 0, 0]] });
    expect(n.matchedBy).toBe('paths');
    expect(n.order).toEqual([0, 1]);
    expect(n.identity).toEqual([9, 8]);
  });
});
