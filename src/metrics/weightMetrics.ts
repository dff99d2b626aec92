/**
 * The 14 weight metrics of method.md §3: the CPU reference that every checkpoint goes through and that
 * the GPU path is checked against. All arithmetic is float64 whatever the input precision, to match
 * the numpy reference in tests/fixtures/reference/metrics.
 *
 * Input contract (why each case is handled the way it is):
 * - No matrices, an empty matrix, or data whose length is not rows·cols throw: these are wiring bugs
 *   in the caller, and a silent NaN would hide them until analysis.
 * - An empty `biases` list (or bias vectors with no entries at all) throws for the same reason:
 *   every configured task includes biases (method.md §2), so their absence means the wrong parameters
 *   were selected. A single bias entry is accepted and gives bias_var = NaN, as numpy does for ddof=1.
 * - Non-finite weights (a diverged run) never throw. Each metric that depends on a non-finite value
 *   is NaN: the per-matrix values of that matrix (so the l1…sv_mean means), the weight_* statistics
 *   if any weight is non-finite, the bias_* statistics if any bias is. Infinity is reported as NaN
 *   too, so downstream code needs only one "missing" test.
 * - A zero matrix gives NaN for l1_over_l2 and trace_over_spectral (0/0), as numpy does.
 *
 * `{ singularValues: false }` skips the SVDs: spectral, trace_over_spectral, sv_mean and sv_var are NaN and
 * the other ten are exactly what a full call gives (the checkpoints between sv-every's due ones; see
 * singularValueCarry.ts for what the trainer puts in those four columns instead).
 */
import { METRIC_NAMES, type MetricName } from './columns.ts';
import { singularValues } from './singularValues.ts';

export { METRIC_NAMES, type MetricName };

export type WeightMetrics = Record<MetricName, number>;

/** One included 2-D weight, row-major. */
export interface WeightMatrix {
  rows: number;
  cols: number;
  data: Float32Array | Float64Array;
}

/** method.md §3: singular values below this count as 0 (they still count towards a matrix's mean and variance). */
export const SINGULAR_VALUE_FLOOR = 1e-5;

export interface WeightMetricsOptions {
  /** false: skip the SVDs and give NaN for the four singular-value metrics. Default true. */
  singularValues?: boolean;
}

export function computeWeightMetrics(
  matrices: readonly WeightMatrix[],
  biases: readonly (Float32Array | Float64Array)[],
  options: WeightMetricsOptions = {},
): WeightMetrics {
  const withSingularValues = options.singularValues !== false;
  if (matrices.length === 0)
    throw new Error('computeWeightMetrics: no weight matrices given; at least one is required');
  let weightCount = 0;
  matrices.forEach((w, k) => {
    const { rows, cols } = w;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
      throw new Error(
        `computeWeightMetrics: matrix ${k} has shape ${rows}×${cols}; both sides must be positive integers`,
      );
    }
    if (w.data.length !== rows * cols) {
      throw new Error(
        `computeWeightMetrics: matrix ${k} is ${rows}×${cols} = ${rows * cols} values but its data has ${w.data.length}`,
      );
    }
    weightCount += rows * cols;
  });
  if (biases.length === 0) {
    throw new Error('computeWeightMetrics: no bias vectors given; bias_mean/median/var need at least one bias entry');
  }
  const biasCount = biases.reduce((n, b) => n + b.length, 0);
  if (biasCount === 0) {
    throw new Error(
      `computeWeightMetrics: the ${biases.length} bias vector(s) have no entries; bias_mean/median/var need at least one`,
    );
  }

  // Concatenated once: the copy is needed anyway for float64 statistics, and selection may reorder it.
  const weights = new Float64Array(weightCount);
  let offset = 0;
  let weightsFinite = true;
  let l1 = 0,
    l2 = 0,
    l1OverL2 = 0,
    trace = 0,
    spectral = 0,
    traceOverSpectral = 0,
    svMean = 0;
  let svVar = 0;
  let svVarCount = 0;

  for (const w of matrices) {
    const { rows, cols, data } = w;
    let abs = 0;
    let sq = 0;
    let finite = true;
    for (let i = 0; i < data.length; i++) {
      const x = data[i];
      if (!Number.isFinite(x)) finite = false;
      weights[offset + i] = x;
      abs += Math.abs(x);
      sq += x * x;
    }
    offset += data.length;
    const svCount = Math.min(rows, cols);
    if (svCount > 1) svVarCount++;
    if (!finite) {
      weightsFinite = false;
      l1 = l2 = l1OverL2 = trace = spectral = traceOverSpectral = svMean = NaN;
      if (svCount > 1) svVar = NaN;
      continue;
    }
    let tr = 0;
    for (let i = 0; i < svCount; i++) tr += data[i * cols + i];
    const frob = Math.sqrt(sq);
    l1 += abs;
    l2 += frob;
    l1OverL2 += abs / frob;
    trace += tr;
    if (!withSingularValues) continue;
    const sv = singularValues(rows, cols, data);
    for (let i = 0; i < sv.length; i++) if (sv[i] < SINGULAR_VALUE_FLOOR) sv[i] = 0;
    spectral += sv[0];
    traceOverSpectral += tr / sv[0];
    const { mean, variance } = meanAndSampleVariance(sv);
    svMean += mean;
    if (sv.length > 1) svVar += variance;
  }

  const k = matrices.length;
  const weightStats = weightsFinite ? summarize(weights) : { mean: NaN, median: NaN, variance: NaN };
  const biasStats = summarizeBiases(biases, biasCount);
  return {
    l1: l1 / k,
    l2: l2 / k,
    l1_over_l2: l1OverL2 / k,
    weight_mean: weightStats.mean,
    weight_median: weightStats.median,
    weight_var: weightStats.variance,
    bias_mean: biasStats.mean,
    bias_median: biasStats.median,
    bias_var: biasStats.variance,
    trace: trace / k,
    spectral: withSingularValues ? spectral / k : NaN,
    trace_over_spectral: withSingularValues ? traceOverSpectral / k : NaN,
    sv_mean: withSingularValues ? svMean / k : NaN,
    // Only 1×n / n×1 matrices: the mean over no matrices is undefined, as in numpy.
    sv_var: withSingularValues && svVarCount > 0 ? svVar / svVarCount : NaN,
  };
}

/**
 * Lower median of `values`: element ⌊(n−1)/2⌋ of the sorted values (method.md §3), so the result is
 * always one of the inputs. NaN if any value is NaN; throws on an empty input. The input is not modified.
 */
export function lowerMedian(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error('lowerMedian: no values');
  const a = new Float64Array(values.length);
  for (let i = 0; i < a.length; i++) a[i] = values[i];
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) return NaN;
  return selectInPlace(a, (a.length - 1) >> 1);
}

function summarizeBiases(biases: readonly (Float32Array | Float64Array)[], count: number) {
  const all = new Float64Array(count);
  let offset = 0;
  for (const b of biases) {
    all.set(b, offset);
    offset += b.length;
  }
  for (let i = 0; i < count; i++) if (!Number.isFinite(all[i])) return { mean: NaN, median: NaN, variance: NaN };
  return summarize(all);
}

/** Mean, sample variance and lower median of finite values; reorders `a`. */
function summarize(a: Float64Array): { mean: number; median: number; variance: number } {
  const { mean, variance } = meanAndSampleVariance(a);
  return { mean, variance, median: selectInPlace(a, (a.length - 1) >> 1) };
}

/** Two passes rather than Σx² − n·mean²: weights cluster near their mean, where the shortcut cancels badly. */
function meanAndSampleVariance(a: Float64Array): { mean: number; variance: number } {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i] - mean;
    ss += d * d;
  }
  return { mean, variance: n > 1 ? ss / (n - 1) : NaN };
}

/**
 * The k-th smallest element (0-based) by quickselect with median-of-three pivots, reordering `a`.
 * Runs at every checkpoint on ~200k weights, where a full sort costs ~10× more. Hoare partitioning
 * keeps runs of equal values (e.g. zero-initialised biases) balanced; if an unlucky input still
 * exhausts the depth budget we sort the remaining range, bounding the worst case at O(n log n).
 */
function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let budget = 2 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (hi > lo) {
    if (budget-- === 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    const pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and everything strictly between j and i equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function medianOfThree(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}
