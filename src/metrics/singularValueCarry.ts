/**
 * The singular-value metrics at every k-th checkpoint (the `sv-every` setting, TrainingConfig.singularValuesEvery).
 *
 * Semantics, the same on every backend and metrics path: with setting k (default 1), a run's checkpoint with
 * ordinal n (0-based: its first checkpoint is 0, its second 1, …) computes the four metrics that come from
 * singular values (SINGULAR_VALUE_METRICS) when n % k === 0. At every other checkpoint those four columns
 * repeat the values of the same run's last checkpoint that computed them: the metric values themselves, not
 * re-derived from old singular values (trace_over_spectral is not the current trace over an old σ_max). Every
 * other metric is computed at every checkpoint. k = 1 is every checkpoint, as before the setting existed.
 *
 * So a run's rows depend only on k and on what was computed at the due checkpoints, not on how training got
 * there: a run trained with k equals `carrySingularValues(rows of the same run with k = 1, k)` (up to the
 * path's own rounding), and a resumed run needs only its bundle's last row to carry the values on.
 */
import type { MetricName } from './columns.ts';

/** The metrics computed from singular values; the only ones `sv-every` skips. */
export const SINGULAR_VALUE_METRICS = [
  'spectral',
  'trace_over_spectral',
  'sv_mean',
  'sv_var',
] as const satisfies readonly MetricName[];

export type SingularValueMetric = (typeof SINGULAR_VALUE_METRICS)[number];

/** Throws unless `every` is a whole number ≥ 1 (the one check every user of the setting shares). */
export function checkSingularValuesEvery(every: number): void {
  if (!(Number.isInteger(every) && every >= 1))
    throw new Error(`singular-value interval must be a whole number ≥ 1, got ${every}`);
}

/** Whether the checkpoint with 0-based `ordinal` computes the singular-value metrics under setting `every`. */
export function singularValuesDue(ordinal: number, every: number): boolean {
  checkSingularValuesEvery(every);
  if (!(Number.isInteger(ordinal) && ordinal >= 0))
    throw new Error(`singularValuesDue: a checkpoint ordinal is a whole number ≥ 0, got ${ordinal}`);
  return ordinal % every === 0;
}

/**
 * A run's checkpoint columns (row index = checkpoint ordinal) as training with setting `every` gives them: the
 * four singular-value columns of each non-due row replaced by those of the last due row, everything else as
 * it was. Returns new arrays (the input is not modified) in an object of the input's prototype, so checkpoints
 * built by `newCheckpoints()` stay prototype-free. A run without some of the four columns keeps the others.
 */
export function carrySingularValues<T extends Record<string, number[]>>(checkpoints: T, every: number): T {
  checkSingularValuesEvery(every);
  const out = Object.create(Object.getPrototypeOf(checkpoints) as object | null) as Record<string, number[]>;
  for (const name of Object.keys(checkpoints)) out[name] = checkpoints[name].slice();
  if (every === 1) return out as T;
  for (const name of SINGULAR_VALUE_METRICS) {
    if (!Object.hasOwn(checkpoints, name)) continue;
    const column = out[name];
    for (let n = 0; n < column.length; n++) if (n % every !== 0) column[n] = column[n - (n % every)];
  }
  return out as T;
}
