import { earthMoversDistance } from '../numeric/transport.ts';

/** Fraction of a path's checkpoints in each of K states (paper eq. 2). */
export function occupancy(path: ArrayLike<number>, nStates: number): number[] {
  const counts = new Array<number>(nStates).fill(0);
  for (let t = 0; t < path.length; t++) counts[path[t]]++;
  return counts.map((c) => c / path.length);
}

/** 1-D Wasserstein distance between two distributions on the support {0, …, K−1}. */
export function wassersteinOnIndices(p: readonly number[], q: readonly number[]): number {
  let cp = 0;
  let cq = 0;
  let d = 0;
  for (let i = 0; i < p.length - 1; i++) {
    cp += p[i];
    cq += q[i];
    d += Math.abs(cp - cq);
  }
  return d;
}

function meanOverPairs(items: readonly number[][], distance: (a: number[], b: number[]) => number): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      sum += distance(items[i], items[j]);
      pairs++;
    }
  }
  return pairs > 0 ? sum / pairs : NaN;
}

/** Trajectory dissimilarity (paper eq. 3): mean pairwise Wasserstein distance on state indices. */
export function trajectoryDissimilarity(occupancies: readonly number[][]): number {
  return meanOverPairs(occupancies as number[][], wassersteinOnIndices);
}

/**
 * The label-free version: the same transport problem with ground distance ‖μ_a − μ_b‖ between the
 * states' means, so it does not depend on how the states happen to be numbered.
 */
export function labelFreeDissimilarity(
  occupancies: readonly number[][],
  means: readonly (readonly number[])[],
): number {
  const cost = means.map((a) => means.map((b) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0))));
  return meanOverPairs(occupancies as number[][], (p, q) => earthMoversDistance(p, q, cost));
}
