import { describe, expect, it } from 'vitest';
import { emptyStats, worstExplainedRow } from '../../../src/analysis/hmm/estep.ts';
import { maximizationStep } from '../../../src/analysis/hmm/mstep.ts';
import { packSequences } from '../../../src/analysis/hmm/observations.ts';
import { toFlat } from '../../../src/analysis/hmm/params.ts';
import type { FitWarning } from '../../../src/analysis/hmm/types.ts';
import { covarianceOfRows } from '../../../src/numeric/linalg.ts';
import { createRng } from '../../../src/numeric/rng.ts';
import { knownHmm } from '../../helpers/knownHmm.ts';

/** Sufficient statistics of fixed posteriors γ (N×K) over the rows of `data`: what the E-step would sum. */
function statsOf(data: Float64Array, n: number, d: number, gamma: number[][], k: number) {
  const s = emptyStats(k, d);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < k; i++) {
      const w = gamma[t][i];
      s.post[i] += w;
      for (let a = 0; a < d; a++) {
        s.obs[i * d + a] += w * data[t * d + a];
        for (let b = 0; b <= a; b++) s.obsObs[i * d * d + a * d + b] += w * data[t * d + a] * data[t * d + b];
      }
    }
  }
  return s;
}

describe('maximizationStep', () => {
  const rng = createRng(5);
  const d = 3;
  const k = 2;
  const seqs = [Array.from({ length: 30 }, () => Array.from({ length: d }, () => rng.normal()))];
  const obs = packSequences(seqs);
  const n = obs.nObservations;
  const prev = toFlat(knownHmm(k, d, 1));

  it('weighted means, covariances (C + prior)/Σγ, and normalized start and transition counts', () => {
    const gamma = Array.from({ length: n }, () => {
      const w = rng.next();
      return [w, 1 - w];
    });
    const s = statsOf(obs.data, n, d, gamma, k);
    s.start.set([3, 1]);
    s.trans.set([2, 6, 1, 1]);
    const prior = 0.01;
    const warnings: FitWarning[] = [];
    const p = maximizationStep(prev, s, prior, obs, 0, warnings);
    expect(warnings).toEqual([]);
    expect(Array.from(p.startprob)).toEqual([0.75, 0.25]);
    expect(Array.from(p.transmat)).toEqual([0.25, 0.75, 0.5, 0.5]);
    for (let i = 0; i < k; i++) {
      const w = gamma.reduce((a, g) => a + g[i], 0);
      const mean = Array.from(
        { length: d },
        (_, a) => gamma.reduce((acc, g, t) => acc + g[i] * obs.data[t * d + a], 0) / w,
      );
      mean.forEach((m, a) => expect(p.means[i * d + a]).toBeCloseTo(m, 12));
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          const c = gamma.reduce(
            (acc, g, t) => acc + g[i] * (obs.data[t * d + a] - mean[a]) * (obs.data[t * d + b] - mean[b]),
            0,
          );
          expect(p.covars[i * d * d + a * d + b]).toBeCloseTo((c + prior) / w, 12);
        }
      }
    }
  });

  it('keeps the previous start and transition rows where there is no evidence (all-zero counts)', () => {
    const s = statsOf(
      obs.data,
      n,
      d,
      Array.from({ length: n }, () => [0.5, 0.5]),
      k,
    );
    s.trans.set([0, 0, 1, 3]);
    const p = maximizationStep(prev, s, 0.01, obs, 0, []);
    expect(Array.from(p.startprob)).toEqual(Array.from(prev.startprob));
    expect(Array.from(p.transmat.subarray(0, 2))).toEqual(Array.from(prev.transmat.subarray(0, 2)));
    expect(Array.from(p.transmat.subarray(2, 4))).toEqual([0.25, 0.75]);
  });

  it('re-seeds a state with no posterior mass at the worst-explained checkpoint, with the data covariance + 1e-3·I, and says so', () => {
    const s = statsOf(
      obs.data,
      n,
      d,
      Array.from({ length: n }, () => [1, 0]),
      k,
    );
    s.start.set([1, 0]);
    s.trans.set([n - 1, 0, 0, 0]);
    const warnings: FitWarning[] = [];
    const p = maximizationStep(prev, s, 0.01, obs, 4, warnings);
    expect(warnings).toEqual([
      {
        iteration: 4,
        kind: 'empty-state',
        state: 1,
        message: 'state 1 received no posterior mass in iteration 4; re-seeded at the worst-explained checkpoint',
      },
    ]);
    const worst = worstExplainedRow(obs, prev);
    expect(Array.from(p.means.subarray(d, 2 * d))).toEqual(Array.from(obs.data.subarray(worst * d, (worst + 1) * d)));
    const cov = covarianceOfRows(obs.data, n, d);
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) expect(p.covars[d * d + a * d + b]).toBe(cov[a * d + b] + (a === b ? 1e-3 : 0));
    expect(p.means.every(Number.isFinite) && p.covars.every(Number.isFinite)).toBe(true);
  });
});
