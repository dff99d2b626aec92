/** Checkpoints used for each run's z-score constants (SPEC §4; the paper's bound on run length's influence). */
export const NORMALIZATION_WINDOW = 1000;

export interface RunNormalization {
  mean: number[];
  std: number[];
  /** Features constant over the window: they become 0 instead of NaN. */
  constant: boolean[];
}

/**
 * Z-scores a run (T×D) feature by feature with the mean and std (divide by n) of its first ≤1000 checkpoints.
 * A feature flat over that window but not over the whole run takes the whole run's std instead (dividing by
 * zero would make it infinite); one constant over the whole run becomes 0.
 */
export function zScoreRun(values: readonly (readonly number[])[], window = NORMALIZATION_WINDOW): { z: number[][] } & RunNormalization {
  const t = values.length;
  if (t === 0) throw new Error('cannot normalize an empty run');
  const d = values[0].length;
  const n = Math.min(t, window);
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += values[i][j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j] += (values[i][j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / n);
  // Rounding in the mean leaves ~1e-16·|mean| of spread in a truly constant column.
  const flat = (s: number, m: number) => s === 0 || s <= 1e-12 * Math.abs(m);
  const constant = std.map((s, j) => flat(s, mean[j]));
  for (let j = 0; j < d; j++) {
    if (!constant[j] || t <= n) continue;
    let m = 0;
    for (let i = 0; i < t; i++) m += values[i][j];
    m /= t;
    let v = 0;
    for (let i = 0; i < t; i++) v += (values[i][j] - m) ** 2;
    const whole = Math.sqrt(v / t);
    if (!flat(whole, m)) {
      std[j] = whole;
      constant[j] = false;
    }
  }
  const z = values.map((row) => row.map((v, j) => (constant[j] ? 0 : (v - mean[j]) / std[j])));
  return { z, mean, std, constant };
}
