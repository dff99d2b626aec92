/** Synthetic benchmark data: sequences sampled from a known, sticky, forking Gaussian HMM. */
import { sampleGaussianHMM, type HMMParams } from '../src/analysis/index.ts';
import { createRng } from '../src/numeric/index.ts';

export function benchHmm(k: number, d: number, seed: number): HMMParams {
  const rng = createRng(seed, 'bench-hmm');
  const means = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal() * 2));
  const covars = Array.from({ length: k }, () => {
    const a = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal() * 0.4));
    return Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => a[i].reduce((s, v, m) => s + v * a[j][m], 0) / d + (i === j ? 0.3 : 0)),
    );
  });
  // Left-to-right with a fork: state i moves on to i+1 or i+2.
  const transmat = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) =>
      i === k - 1
        ? j === i
          ? 1
          : 0
        : j === i
          ? 0.985
          : j === i + 1
            ? i + 2 < k
              ? 0.01
              : 0.015
            : j === i + 2
              ? 0.005
              : 0,
    ),
  );
  const startprob = Array.from({ length: k }, (_, i) => (i === 0 ? 1 : 0));
  return { startprob, transmat, means, covars };
}

export function benchSequences(runs: number, length: number, d: number, k: number, seed: number): number[][][] {
  return sampleGaussianHMM(benchHmm(k, d, seed), new Array(runs).fill(length), createRng(seed, 'bench-sample'))
    .sequences;
}
