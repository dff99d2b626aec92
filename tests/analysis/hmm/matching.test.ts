import { describe, expect, it } from 'vitest';
import {
  assignStates,
  matchStates,
  meansCost,
  permuteParams,
  permutePath,
} from '../../../src/analysis/hmm/matching.ts';
import type { HMMParams } from '../../../src/analysis/hmm/types.ts';
import { createRng } from '../../../src/numeric/rng.ts';
import { knownHmm } from '../../helpers/knownHmm.ts';

/** A model whose states sit at the given 1-D means (the other parameters only need the right shapes). */
function atMeans(means: number[]): HMMParams {
  const k = means.length;
  return {
    startprob: new Array(k).fill(1 / k),
    transmat: Array.from({ length: k }, (_, i) =>
      Array.from({ length: k }, (_, j) => (k === 1 ? 1 : i === j ? 0.5 : 0.5 / (k - 1))),
    ),
    means: means.map((m) => [m]),
    covars: means.map((_, i) => [[1 + i]]),
  };
}

describe('matchStates', () => {
  it('undoes a shuffle of the same model (K = 1..8)', () => {
    for (let k = 1; k <= 8; k++) {
      const p = knownHmm(k, 3, k);
      const perm = Array.from({ length: k }, (_, i) => i);
      createRng(k, 'perm').shuffle(perm);
      const shuffled = permuteParams(p, perm);
      const order = matchStates(p, shuffled);
      expect(permuteParams(shuffled, order)).toEqual(p);
    }
  });

  it('pairs states by nearest means even when a greedy choice would go wrong', () => {
    // Greedy matching would give reference 0 (at 0) its nearest candidate, 0.6, and leave reference 1 with −1:
    // cost 0.36 + 4. The optimum pairs 0 with −1 and 1 with 0.6: cost 1 + 0.16.
    const reference = atMeans([0, 1]);
    const candidate = atMeans([0.6, -1]);
    expect(matchStates(reference, candidate)).toEqual([1, 0]);
  });

  it('with more candidate states than reference states: the matched ones first, the rest after in their order', () => {
    const reference = atMeans([0, 10]);
    const candidate = atMeans([5, 10.2, 20, -0.1]);
    const order = matchStates(reference, candidate);
    expect(order).toEqual([3, 1, 0, 2]);
    expect(permuteParams(candidate, order).means).toEqual([[-0.1], [10.2], [5], [20]]);
  });

  it('with fewer candidate states: a permutation of the candidate, ordered by the reference state each one took', () => {
    const reference = atMeans([0, 10, 20, 30]);
    const candidate = atMeans([29, 1, 21]);
    // candidate 1 takes reference 0, candidate 2 reference 2, candidate 0 reference 3
    expect(matchStates(reference, candidate)).toEqual([1, 2, 0]);
  });
});

describe('permuteParams and permutePath', () => {
  it('renumber states consistently: the permuted model gives the renumbered path the same meaning', () => {
    const p = knownHmm(4, 2, 3);
    const order = [2, 0, 3, 1];
    const q = permuteParams(p, order);
    for (let i = 0; i < 4; i++) {
      expect(q.startprob[i]).toBe(p.startprob[order[i]]);
      expect(q.means[i]).toEqual(p.means[order[i]]);
      expect(q.covars[i]).toEqual(p.covars[order[i]]);
      for (let j = 0; j < 4; j++) expect(q.transmat[i][j]).toBe(p.transmat[order[i]][order[j]]);
    }
    const path = [0, 1, 2, 3, 3, 2];
    const renamed = permutePath(path, order);
    // new state renamed[t] is old state path[t]
    renamed.forEach((s, t) => expect(order[s]).toBe(path[t]));
    expect(permutePath(new Int32Array(path), order)).toEqual(renamed);
  });

  it('do not share arrays with the input', () => {
    const p = knownHmm(2, 2, 1);
    const q = permuteParams(p, [0, 1]);
    q.means[0][0] = 1e9;
    q.covars[0][0][0] = 1e9;
    expect(p.means[0][0]).not.toBe(1e9);
    expect(p.covars[0][0][0]).not.toBe(1e9);
  });

  it('refuse an order that is not a permutation of the states', () => {
    const p = knownHmm(3, 1, 1);
    expect(() => permuteParams(p, [0, 1])).toThrow('permuteParams: order must be a permutation of the states');
    expect(() => permuteParams(p, [0, 1, 1])).toThrow('permuteParams: order must be a permutation of the states');
  });
});

describe('assignStates: one-to-one matching of any shape', () => {
  it('matches every candidate when there are fewer, and leaves the extra candidates out when there are more', () => {
    const reference = atMeans([0, 10, 20]);
    expect(assignStates(meansCost(reference, atMeans([19, 1])))).toEqual([2, 0]);
    expect(assignStates(meansCost(reference, atMeans([21, 9, 0.5])))).toEqual([2, 1, 0]);
    // Four candidates for three references, least total squared distance: 12 takes 20 (64) rather than 30 (100).
    expect(assignStates(meansCost(reference, atMeans([11, -1, 30, 12])))).toEqual([1, 0, -1, 2]);
    expect(assignStates([])).toEqual([]);
  });
});
