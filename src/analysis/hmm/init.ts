import { covarianceOfRows } from '../../numeric/linalg.ts';
import type { Rng } from '../../numeric/rng.ts';
import { HMM_DEFAULTS } from './defaults.ts';
import { kMeans } from './kmeans.ts';
import type { FlatParams, ObservationSet } from './types.ts';

/**
 * 'hmmlearn': k-means means, every covariance the data covariance + 1e-3·I, start and transition rows
 * from Dirichlet(1/K). 'sticky': the same means and covariances, uniform start, and transition rows
 * that stay with probability ≈ 1 − K/T̄ (T̄ the mean sequence length), matching how rarely training
 * runs change state.
 */
export type InitMethod = 'hmmlearn' | 'sticky';

export function initialParams(
  obs: ObservationSet,
  k: number,
  rng: Rng,
  method: InitMethod,
  kmeansInits: number = HMM_DEFAULTS.kmeansInits,
): FlatParams {
  const d = obs.nFeatures;
  const { centers } = kMeans(obs.data, obs.nObservations, d, k, rng, kmeansInits);
  const cov = covarianceOfRows(obs.data, obs.nObservations, d);
  for (let i = 0; i < d; i++) cov[i * d + i] += 1e-3;
  const covars = new Float64Array(k * d * d);
  for (let i = 0; i < k; i++) covars.set(cov, i * d * d);
  const startprob = new Float64Array(k);
  const transmat = new Float64Array(k * k);
  const alpha = new Array<number>(k).fill(1 / k);
  if (method === 'hmmlearn') {
    startprob.set(rng.dirichlet(alpha));
    for (let i = 0; i < k; i++) transmat.set(rng.dirichlet(alpha), i * k);
  } else {
    startprob.fill(1 / k);
    const meanLength = obs.nObservations / obs.lengths.length;
    const stay = k === 1 ? 1 : Math.min(0.99, Math.max(0.5, 1 - k / meanLength));
    for (let i = 0; i < k; i++) {
      const jitter = rng.dirichlet(alpha);
      for (let j = 0; j < k; j++)
        transmat[i * k + j] = i === j ? stay : ((1 - stay) * (jitter[j] + 1 / k)) / (1 - jitter[i] + (k - 1) / k);
    }
  }
  return { nStates: k, nFeatures: d, startprob, transmat, means: centers, covars };
}
