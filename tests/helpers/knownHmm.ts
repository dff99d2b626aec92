import { packSequences, sampleGaussianHMM, type HMMParams, type ObservationSet } from '../../src/analysis/index.ts';
import { createRng } from '../../src/numeric/index.ts';

/** A well-separated HMM with K states in D dimensions, sticky transitions, random SPD covariances. */
export function knownHmm(k: number, d: number, seed: number, separation = 4, noise = 1): HMMParams {
  const rng = createRng(seed, 'known-hmm');
  const means = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal() * separation));
  const covars = Array.from({ length: k }, () => {
    const a = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal() * 0.3));
    return Array.from({ length: d }, (_, i) =>
      Array.from(
        { length: d },
        (_, j) => noise * noise * (a[i].reduce((s, v, m) => s + v * a[j][m], 0) / d + (i === j ? 0.5 : 0)),
      ),
    );
  });
  const transmat = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => (i === j ? 0.95 : 0.05 / (k - 1))),
  );
  return { startprob: new Array(k).fill(1 / k), transmat: k === 1 ? [[1]] : transmat, means, covars };
}

/** A small model selection to schedule (K 1…3, two restarts each): runs of a known 2-state HMM, and its options. */
export function smallSelection(): {
  obs: ObservationSet;
  options: { kMin: number; kMax: number; restarts: number; maxIterations: number; seed: number };
} {
  const runs = sampleGaussianHMM(knownHmm(2, 3, 4), new Array(8).fill(25), createRng(5, 'pool')).sequences;
  return { obs: packSequences(runs), options: { kMin: 1, kMax: 3, restarts: 2, maxIterations: 6, seed: 2 } };
}
