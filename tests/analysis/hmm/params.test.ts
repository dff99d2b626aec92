import { describe, expect, it } from 'vitest';
import { fromFlat, toFlat, validateParams } from '../../../src/analysis/hmm/params.ts';
import type { HMMParams } from '../../../src/analysis/hmm/types.ts';
import { knownHmm } from '../../helpers/knownHmm.ts';

const valid = (): HMMParams => ({
  startprob: [0.25, 0.75],
  transmat: [
    [0.9, 0.1],
    [0.2, 0.8],
  ],
  means: [
    [0, 1, 2],
    [3, 4, 5],
  ],
  covars: [
    [
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 3],
    ],
    [
      [4, 1, 0],
      [1, 5, 0],
      [0, 0, 6],
    ],
  ],
});

describe('toFlat and fromFlat', () => {
  it('round-trip and lay the values out row-major', () => {
    const p = valid();
    const f = toFlat(p);
    expect(f.nStates).toBe(2);
    expect(f.nFeatures).toBe(3);
    expect(Array.from(f.transmat)).toEqual([0.9, 0.1, 0.2, 0.8]);
    expect(Array.from(f.means)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(f.covars.subarray(9, 18))).toEqual([4, 1, 0, 1, 5, 0, 0, 0, 6]);
    expect(fromFlat(f)).toEqual(p);
    const big = knownHmm(5, 4, 2);
    expect(fromFlat(toFlat(big))).toEqual(big);
  });
});

describe('validateParams', () => {
  it('accepts valid parameters', () => {
    expect(() => validateParams(valid(), 3)).not.toThrow();
    expect(() => validateParams(valid())).not.toThrow();
  });

  const broken: [string, (p: HMMParams) => void, string][] = [
    ['empty startprob', (p) => (p.startprob = []), 'HMM parameters: startprob is empty'],
    ['startprob not summing to 1', (p) => (p.startprob = [0.5, 0.6]), 'HMM parameters: startprob does not sum to 1'],
    [
      'a missing transition row',
      (p) => p.transmat.pop(),
      'HMM parameters: expected 2 states in transmat, means and covars',
    ],
    ['a missing covariance', (p) => p.covars.pop(), 'HMM parameters: expected 2 states in transmat, means and covars'],
    [
      'a row not summing to 1',
      (p) => (p.transmat[1] = [0.5, 0.6]),
      'HMM parameters: transmat row 1 must have 2 entries summing to 1',
    ],
    ['a short row', (p) => (p.transmat[0] = [1]), 'HMM parameters: transmat row 0 must have 2 entries summing to 1'],
    ['a covariance of the wrong size', (p) => p.covars[1].pop(), 'HMM parameters: covars[1] must be 3×3'],
    ['a ragged covariance', (p) => p.covars[0][2].pop(), 'HMM parameters: covars[0] must be 3×3'],
    ['a NaN mean', (p) => (p.means[1][2] = NaN), 'HMM parameters: contain NaN or Infinity'],
    ['an infinite variance', (p) => (p.covars[0][0][0] = Infinity), 'HMM parameters: contain NaN or Infinity'],
    [
      'a negative probability',
      (p) => {
        p.transmat[0] = [1.1, -0.1];
      },
      'HMM parameters: negative probability',
    ],
  ];
  for (const [what, breakIt, message] of broken) {
    it(`rejects ${what}`, () => {
      const p = valid();
      breakIt(p);
      expect(() => validateParams(p)).toThrow(message);
    });
  }

  it('rejects means whose width is not the data’s', () => {
    expect(() => validateParams(valid(), 4)).toThrow('HMM parameters: means have 3 features but the data has 4');
  });
});
