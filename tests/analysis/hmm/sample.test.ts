import { describe, expect, it } from 'vitest';
import { sampleGaussianHMM } from '../../../src/analysis/hmm/sample.ts';
import type { HMMParams } from '../../../src/analysis/hmm/types.ts';
import { createRng } from '../../../src/numeric/rng.ts';

const model: HMMParams = {
  startprob: [0.2, 0.8],
  transmat: [
    [0.9, 0.1],
    [0.3, 0.7],
  ],
  means: [
    [0, 5],
    [-3, 1],
  ],
  covars: [
    [
      [1, 0.5],
      [0.5, 2],
    ],
    [
      [0.25, -0.1],
      [-0.1, 0.5],
    ],
  ],
};

describe('sampleGaussianHMM', () => {
  const lengths = new Array(400).fill(50);
  const { sequences, states } = sampleGaussianHMM(model, lengths, createRng(1));

  it('draws sequences of the requested lengths, with their hidden states', () => {
    expect(sequences.map((s) => s.length)).toEqual(lengths);
    expect(states.map((s) => s.length)).toEqual(lengths);
    expect(sequences.flat().every((x) => x.length === 2 && x.every(Number.isFinite))).toBe(true);
  });

  it('start and transition frequencies match the model (within 5 standard errors)', () => {
    const n = lengths.length;
    const firstIn0 = states.filter((s) => s[0] === 0).length / n;
    expect(Math.abs(firstIn0 - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / n));
    const counts = [
      [0, 0],
      [0, 0],
    ];
    for (const s of states) for (let t = 1; t < s.length; t++) counts[s[t - 1]][s[t]]++;
    for (let i = 0; i < 2; i++) {
      const total = counts[i][0] + counts[i][1];
      const p = model.transmat[i][1];
      expect(Math.abs(counts[i][1] / total - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / total));
    }
  });

  it('emissions have each state’s mean and covariance', () => {
    for (let k = 0; k < 2; k++) {
      const xs = sequences.flatMap((s, r) => s.filter((_, t) => states[r][t] === k));
      const mean = [0, 1].map((j) => xs.reduce((a, x) => a + x[j], 0) / xs.length);
      mean.forEach((m, j) =>
        expect(Math.abs(m - model.means[k][j])).toBeLessThan(5 * Math.sqrt(model.covars[k][j][j] / xs.length)),
      );
      for (let a = 0; a < 2; a++) {
        for (let b = 0; b < 2; b++) {
          const c = xs.reduce((acc, x) => acc + (x[a] - mean[a]) * (x[b] - mean[b]), 0) / (xs.length - 1);
          expect(Math.abs(c - model.covars[k][a][b])).toBeLessThan(
            0.05 * Math.sqrt(model.covars[k][a][a] * model.covars[k][b][b]) + 0.01,
          );
        }
      }
    }
  });

  it('is deterministic in its random stream', () => {
    expect(sampleGaussianHMM(model, [5, 3], createRng(9))).toEqual(sampleGaussianHMM(model, [5, 3], createRng(9)));
    expect(sampleGaussianHMM(model, [5], createRng(9))).not.toEqual(sampleGaussianHMM(model, [5], createRng(10)));
  });

  it('validates the parameters first', () => {
    expect(() => sampleGaussianHMM({ ...model, startprob: [0.5, 0.6] }, [3], createRng(0))).toThrow(
      'HMM parameters: startprob does not sum to 1',
    );
  });
});
