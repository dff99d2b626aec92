import { describe, expect, it } from 'vitest';
import { ANALYSIS_DEFAULTS } from '../../../src/analysis/defaults.ts';
import { initialParams } from '../../../src/analysis/hmm/init.ts';
import { kMeans } from '../../../src/analysis/hmm/kmeans.ts';
import { packSequences } from '../../../src/analysis/hmm/observations.ts';
import { covarianceOfRows } from '../../../src/numeric/linalg.ts';
import { createRng } from '../../../src/numeric/rng.ts';

const rng = createRng(2, 'init-data');
const seqs = Array.from({ length: 4 }, (_, r) =>
  Array.from({ length: 25 }, () => [rng.normal() + r, 3 * rng.normal(), rng.next()]),
);
const obs = packSequences(seqs);
const d = obs.nFeatures;

const sum = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0);

describe('initialParams', () => {
  it("is hmmlearn's start by default", () => expect(ANALYSIS_DEFAULTS.init).toBe('hmmlearn'));

  for (const method of ['hmmlearn', 'sticky'] as const) {
    it(`${method}: k-means means, every covariance the data covariance + 1e-3·I, stochastic start and rows`, () => {
      const k = 4;
      const p = initialParams(obs, k, createRng(7), method);
      expect(p.nStates).toBe(k);
      expect(p.nFeatures).toBe(d);
      // the means are exactly what k-means gives from the same stream, drawn first
      expect(Array.from(p.means)).toEqual(
        Array.from(kMeans(obs.data, obs.nObservations, d, k, createRng(7), 2).centers),
      );
      const cov = covarianceOfRows(obs.data, obs.nObservations, d);
      for (let i = 0; i < k; i++) {
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++)
            expect(p.covars[i * d * d + a * d + b]).toBe(cov[a * d + b] + (a === b ? 1e-3 : 0));
      }
      expect(Math.abs(sum(p.startprob) - 1)).toBeLessThan(1e-12);
      for (let i = 0; i < k; i++)
        expect(Math.abs(sum(p.transmat.subarray(i * k, (i + 1) * k)) - 1)).toBeLessThan(1e-12);
      expect([...p.startprob, ...p.transmat].every((x) => x >= 0)).toBe(true);
    });
  }

  it('sticky: uniform start, and each state stays with probability 1 − K/T̄ clamped to [0.5, 0.99]', () => {
    for (const [k, expected] of [
      [4, 1 - 4 / 25],
      [2, 1 - 2 / 25],
      [20, 0.5],
    ] as const) {
      const p = initialParams(obs, k, createRng(1), 'sticky');
      expect(Array.from(p.startprob)).toEqual(new Array(k).fill(1 / k));
      for (let i = 0; i < k; i++) {
        expect(p.transmat[i * k + i]).toBeCloseTo(expected, 14);
        for (let j = 0; j < k; j++) if (j !== i) expect(p.transmat[i * k + j]).toBeGreaterThan(0);
      }
    }
    const long = packSequences([Array.from({ length: 1000 }, (_, t) => [Math.sin(t), t % 7])]);
    const p = initialParams(long, 2, createRng(1), 'sticky');
    expect(p.transmat[0]).toBe(0.99);
    expect(Array.from(initialParams(obs, 1, createRng(1), 'sticky').transmat)).toEqual([1]);
  });

  it('the same stream gives the same start; another stream another', () => {
    expect(initialParams(obs, 3, createRng(4), 'hmmlearn')).toEqual(initialParams(obs, 3, createRng(4), 'hmmlearn'));
    expect(initialParams(obs, 3, createRng(4), 'hmmlearn').transmat).not.toEqual(
      initialParams(obs, 3, createRng(5), 'hmmlearn').transmat,
    );
  });
});
