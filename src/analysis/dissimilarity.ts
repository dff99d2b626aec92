/**
 * Trajectory dissimilarity (method.md §12): means over every unordered pair of runs of a distance between their
 * occupancy vectors. Pairs grow with runs², so neither is computed pair by pair: the state-index version has a
 * closed form in O(K·n log n), the label-free one is exact over the distinct occupancy vectors while they make
 * few enough pairs and otherwise estimated from a seeded sample of run pairs, with its standard error.
 */
import { createRng } from '../numeric/rng.ts';
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

/** Σ over unordered pairs of |x_a − x_b|, from the sorted values: x₍ⱼ₎ is larger than j of them. */
function sumOfPairwiseGaps(values: Float64Array): number {
  values.sort();
  let below = 0;
  let sum = 0;
  for (let j = 0; j < values.length; j++) {
    sum += j * values[j] - below;
    below += values[j];
  }
  return sum;
}

/**
 * Trajectory dissimilarity (paper eq. 3): the mean over run pairs of the Wasserstein distance on state indices.
 * That distance is Σ_i |F_a(i) − F_b(i)| over the cumulative occupancies, so the mean over pairs is, for each i,
 * the mean absolute difference of F_·(i) over runs: exact, by sorting, in O(K·n log n) instead of O(K·n²).
 */
export function trajectoryDissimilarity(occupancies: readonly (readonly number[])[]): number {
  const n = occupancies.length;
  if (n < 2) return NaN;
  const k = occupancies[0].length;
  const cumulative = Array.from({ length: Math.max(0, k - 1) }, () => new Float64Array(n));
  occupancies.forEach((o, r) => {
    let c = 0;
    for (let i = 0; i < k - 1; i++) cumulative[i][r] = c += o[i];
  });
  let total = 0;
  for (const column of cumulative) total += sumOfPairwiseGaps(column);
  return total / ((n * (n - 1)) / 2);
}

/** How a dissimilarity was obtained: exact (closed form, or every pair) or from a seeded sample of run pairs. */
export interface DissimilarityMethod {
  method: 'closed-form' | 'exact' | 'sampled';
  /** Run pairs the value averages over: all of them, or the sample drawn. */
  pairs: number;
  totalPairs: number;
  /** Standard error of a sampled mean (sd of the sampled distances / √pairs); 0 when exact. */
  standardError: number;
}

export interface DissimilarityEstimate extends DissimilarityMethod {
  value: number;
}

export interface Dissimilarities {
  stateIndex: number;
  labelFree: number;
  /** How each value was obtained (absent in analyses exported before it was recorded: those were exact). */
  method?: { stateIndex: DissimilarityMethod; labelFree: DissimilarityMethod };
}

/**
 * Transport problems solved exactly before sampling takes over: 4,950 is every pair of 100 distinct runs, about
 * 0.3 s at K = 8 (bench/results/analyze-large.json), and a fit is scored this way up to 20 times per analysis.
 */
export const EXACT_PAIR_LIMIT = 4950;
/** Run pairs drawn when the distinct pairs exceed the limit; the standard error is then about 1.4% of the sd. */
export const SAMPLED_PAIRS = 4950;

export interface LabelFreeOptions {
  seed?: number;
  exactPairLimit?: number;
  sampledPairs?: number;
}

/** Runs with the same occupancy (bit for bit) share a distance to every other run: group them. */
function distinctOccupancies(occupancies: readonly (readonly number[])[]): { vectors: number[][]; counts: number[] } {
  const index = new Map<string, number>();
  const vectors: number[][] = [];
  const counts: number[] = [];
  for (const o of occupancies) {
    const key = o.join(',');
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, vectors.length);
      vectors.push([...o]);
      counts.push(1);
    } else counts[at]++;
  }
  return { vectors, counts };
}

function groundDistances(means: readonly (readonly number[])[]): number[][] {
  return means.map((a) => means.map((b) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0))));
}

/**
 * The label-free dissimilarity: the same transport problem with ground distance ‖μ_a − μ_b‖ between the states'
 * means, so it does not depend on how the states happen to be numbered. Exact while the distinct occupancy
 * vectors make at most `exactPairLimit` pairs (identical runs are at distance 0 and share their distances to the
 * others); beyond that, the mean over `sampledPairs` run pairs drawn uniformly with replacement (seeded), whose
 * standard error is reported.
 */
export function estimateLabelFreeDissimilarity(
  occupancies: readonly (readonly number[])[],
  means: readonly (readonly number[])[],
  options: LabelFreeOptions = {},
): DissimilarityEstimate {
  const n = occupancies.length;
  const totalPairs = (n * (n - 1)) / 2;
  if (n < 2) return { value: NaN, method: 'exact', pairs: 0, totalPairs: 0, standardError: 0 };
  const cost = groundDistances(means);
  const { vectors, counts } = distinctOccupancies(occupancies);
  const u = vectors.length;
  if ((u * (u - 1)) / 2 <= (options.exactPairLimit ?? EXACT_PAIR_LIMIT)) {
    let sum = 0;
    for (let a = 0; a < u; a++)
      for (let b = a + 1; b < u; b++) sum += counts[a] * counts[b] * earthMoversDistance(vectors[a], vectors[b], cost);
    return { value: sum / totalPairs, method: 'exact', pairs: totalPairs, totalPairs, standardError: 0 };
  }
  const m = options.sampledPairs ?? SAMPLED_PAIRS;
  const rng = createRng(options.seed ?? 0, 'dissimilarity-pairs');
  // Welford's running mean and squared deviations: no cancellation however close the distances are.
  let value = 0;
  let squares = 0;
  for (let s = 1; s <= m; s++) {
    const a = rng.int(n);
    let b = rng.int(n - 1);
    if (b >= a) b++;
    const d = earthMoversDistance(occupancies[a] as number[], occupancies[b] as number[], cost);
    const step = d - value;
    value += step / s;
    squares += step * (d - value);
  }
  const standardError = m > 1 ? Math.sqrt(squares / (m - 1) / m) : NaN;
  return { value, method: 'sampled', pairs: m, totalPairs, standardError };
}

/** The exact label-free dissimilarity over every pair, however many (for tests and benchmarks). */
export function labelFreeDissimilarity(
  occupancies: readonly (readonly number[])[],
  means: readonly (readonly number[])[],
): number {
  return estimateLabelFreeDissimilarity(occupancies, means, { exactPairLimit: Infinity }).value;
}

/** Both dissimilarities of one fit, each with how it was obtained. */
export function dissimilarities(
  occupancies: readonly (readonly number[])[],
  means: readonly (readonly number[])[],
  options: LabelFreeOptions = {},
): Required<Dissimilarities> {
  const n = occupancies.length;
  const totalPairs = (n * (n - 1)) / 2;
  const { value: labelFree, ...labelFreeMethod } = estimateLabelFreeDissimilarity(occupancies, means, options);
  return {
    stateIndex: trajectoryDissimilarity(occupancies),
    labelFree,
    method: {
      stateIndex: { method: 'closed-form', pairs: totalPairs, totalPairs, standardError: 0 },
      labelFree: labelFreeMethod,
    },
  };
}
