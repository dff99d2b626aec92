export interface Convergence {
  /** Index of the first checkpoint whose eval accuracy exceeds the threshold; the longest run's length when none does. */
  checkpoint: number;
  converged: boolean;
}

/** method.md §9, for runs of possibly different lengths. */
export function convergenceTimes(evalAccuracy: readonly (readonly number[])[], threshold: number): Convergence[] {
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`convergence threshold must be in (0, 1], got ${threshold}`);
  const longest = evalAccuracy.reduce((m, a) => Math.max(m, a.length), 0);
  return evalAccuracy.map((acc) => {
    const i = acc.findIndex((a) => a > threshold);
    return i >= 0 ? { checkpoint: i, converged: true } : { checkpoint: longest, converged: false };
  });
}
