import { covarianceOfRows } from '../../numeric/linalg.ts';
import { worstExplainedRow, type SufficientStats } from './estep.ts';
import type { FitWarning, FlatParams, ObservationSet } from './types.ts';

/**
 * hmmlearn's M-step with its default priors: maximum-likelihood start and transition probabilities,
 * weighted means, and covariances (C_k + prior·𝟙𝟙ᵀ) / Σγ_k. A state that received no posterior mass
 * is re-seeded on the observation the model explains worst, instead of producing NaN.
 *
 * `stickyPrior` κ > 0 is a Dirichlet prior on each transition row with κ extra pseudo-counts on the
 * self-transition (hmmlearn's transmat_prior = 1 + κ·I): row i ∝ Σ_t ξ_t(i, ·) + κ·e_i, the MAP estimate.
 */
export function maximizationStep(
  prev: FlatParams,
  stats: SufficientStats,
  covariancePrior: number,
  obs: ObservationSet,
  iteration: number,
  warnings: FitWarning[],
  stickyPrior = 0,
): FlatParams {
  const k = prev.nStates;
  const d = prev.nFeatures;
  const startprob = normalized(stats.start) ?? prev.startprob.slice();
  const transmat = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const counts = stats.trans.subarray(i * k, (i + 1) * k);
    let row = normalized(counts);
    if (row && stickyPrior > 0) {
      const withPrior = counts.slice();
      withPrior[i] += stickyPrior;
      row = normalized(withPrior);
    }
    // A state never left (or only seen last) carries no evidence about its row: keep the old one.
    transmat.set(row ?? prev.transmat.subarray(i * k, (i + 1) * k), i * k);
  }
  const means = new Float64Array(k * d);
  const covars = new Float64Array(k * d * d);
  let dataCov: Float64Array | null = null;
  let worstRow = -1;
  for (let i = 0; i < k; i++) {
    const w = stats.post[i];
    const mo = i * d;
    const co = i * d * d;
    if (!(w > 0) || !Number.isFinite(w)) {
      dataCov ??= covarianceOfRows(obs.data, obs.nObservations, d);
      if (worstRow < 0) worstRow = worstExplainedRow(obs, prev);
      means.set(obs.data.subarray(worstRow * d, (worstRow + 1) * d), mo);
      covars.set(dataCov, co);
      for (let a = 0; a < d; a++) covars[co + a * d + a] += 1e-3;
      warnings.push({
        iteration,
        kind: 'empty-state',
        state: i,
        message: `state ${i} received no posterior mass in iteration ${iteration}; re-seeded at the worst-explained checkpoint`,
      });
      continue;
    }
    for (let a = 0; a < d; a++) means[mo + a] = stats.obs[mo + a] / w;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        const c = stats.obsObs[co + a * d + b] - w * means[mo + a] * means[mo + b];
        const v = (c + covariancePrior) / w;
        covars[co + a * d + b] = v;
        covars[co + b * d + a] = v;
      }
    }
  }
  return { nStates: k, nFeatures: d, startprob, transmat, means, covars };
}

function normalized(x: Float64Array): Float64Array | null {
  let s = 0;
  for (const v of x) s += v;
  if (!(s > 0) || !Number.isFinite(s)) return null;
  return x.map((v) => v / s);
}
