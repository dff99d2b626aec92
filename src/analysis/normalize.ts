/** Checkpoints used for each run's z-score constants (method.md §4; the paper's bound on run length's influence). */
export const NORMALIZATION_WINDOW = 1000;

export interface RunNormalization {
  mean: number[];
  std: number[];
  /** Features constant over the window: they become 0 instead of NaN. */
  constant: boolean[];
}

/**
 * A power of two near a column's largest magnitude. Dividing by it is exact (no rounding for values that
 * stay normal), so ordinary data give the same numbers as unscaled arithmetic, while sums and squares of
 * values near 1e300 (or 1e-300) can no longer overflow to Infinity (or underflow to 0).
 */
function powerOfTwoScale(values: readonly (readonly number[])[], j: number, n: number): number {
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(values[i][j]));
  if (!(big > 0) || !Number.isFinite(big)) return 1;
  return 2 ** Math.min(1023, Math.max(-1074, Math.ceil(Math.log2(big))));
}

/** Mean and std (divide by n) of column j over rows [0, n), in units of `scale`. */
function moments(
  values: readonly (readonly number[])[],
  j: number,
  n: number,
  scale: number,
): { mean: number; std: number } {
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i][j] / scale;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i][j] / scale - m) ** 2;
  return { mean: m, std: Math.sqrt(v / n) };
}

/**
 * Z-scores a run (T×D) feature by feature with the mean and std (divide by n) of its first ≤1000 checkpoints.
 * A feature flat over that window but not over the whole run takes the whole run's std instead (dividing by
 * zero would make it infinite); one constant over the whole run becomes 0. Each column is computed in units
 * of a power of two near its largest value, so magnitudes anywhere in the double range neither overflow nor
 * vanish. Non-finite input is refused (the caller excludes such runs first).
 */
export function zScoreRun(
  values: readonly (readonly number[])[],
  window = NORMALIZATION_WINDOW,
): { z: number[][] } & RunNormalization {
  const t = values.length;
  if (t === 0) throw new Error('cannot normalize an empty run');
  const d = values[0].length;
  const n = Math.min(t, window);
  for (let i = 0; i < t; i++) {
    const j = values[i].findIndex((x) => !Number.isFinite(x));
    if (j >= 0) throw new NormalizationError(j, `value ${values[i][j]} at checkpoint ${i}`);
  }
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  const constant = new Array<boolean>(d).fill(false);
  const z = values.map(() => new Array<number>(d).fill(0));
  // Rounding in the mean leaves ~1e-16·|mean| of spread in a truly constant column.
  const flat = (s: number, m: number) => s === 0 || s <= 1e-12 * Math.abs(m);
  for (let j = 0; j < d; j++) {
    const scale = powerOfTwoScale(values, j, t);
    const { mean: m, std: windowStd } = moments(values, j, n, scale);
    let s = windowStd;
    let isConstant = flat(s, m);
    if (isConstant && t > n) {
      const whole = moments(values, j, t, scale);
      if (!flat(whole.std, whole.mean)) {
        s = whole.std;
        isConstant = false;
      }
    }
    constant[j] = isConstant;
    mean[j] = m * scale;
    std[j] = s * scale;
    if (!isConstant) for (let i = 0; i < t; i++) z[i][j] = (values[i][j] / scale - m) / s;
    const bad = z.findIndex((row) => !Number.isFinite(row[j]));
    if (bad >= 0 || !Number.isFinite(mean[j]) || !Number.isFinite(std[j])) {
      throw new NormalizationError(j, `its mean ${mean[j]} and std ${std[j]} do not give finite z-scores`);
    }
  }
  return { z, mean, std, constant };
}

/** A column that cannot be z-scored; `feature` is its index (the caller names it). */
export class NormalizationError extends Error {
  constructor(
    readonly feature: number,
    readonly detail: string,
  ) {
    super(`cannot normalize feature ${feature}: ${detail}`);
    this.name = 'NormalizationError';
  }
}
