/** Detour states (method.md §11): states that cost convergence time and that some runs show are avoidable. */

/** method.md §11: a positive coefficient, and at least one converged run never visits the state. */
export function detourStates(
  coefficients: readonly number[],
  paths: readonly ArrayLike<number>[],
  converged: readonly boolean[],
): number[] {
  const visitedBy = (k: number, p: ArrayLike<number>) => Array.prototype.includes.call(p, k);
  return coefficients
    .map((c, k) => ({ c, k }))
    .filter(({ c, k }) => c > 0 && paths.some((p, i) => converged[i] && !visitedBy(k, p)))
    .map(({ k }) => k);
}
