import { occupancy } from './dissimilarity.ts';
import { olsImplicitIntercept } from './regression.ts';

export interface BagOfStatesRegression {
  /** Per state: the occupancy coefficient (convergence checkpoints per unit of occupancy); NaN for states no run visits or that are collinear. */
  coefficients: number[];
  /** States used as regressors (visited by some run). */
  states: number[];
  rSquared: number;
  fPValue: number;
  dfModel: number;
  dfResid: number;
  fitted: number[];
  /** p < 0.05: only then should coefficients be read (the paper's advice). */
  significant: boolean;
  note?: string;
}

/** method.md §10: OLS of convergence time on each run's state occupancy, no explicit intercept. */
export function bagOfStatesRegression(
  paths: readonly ArrayLike<number>[],
  nStates: number,
  convergence: readonly number[],
): BagOfStatesRegression {
  if (paths.length !== convergence.length)
    throw new Error(`regression: ${paths.length} paths but ${convergence.length} convergence times`);
  const occ = paths.map((p) => occupancy(p, nStates));
  const states = Array.from({ length: nStates }, (_, k) => k).filter((k) => occ.some((o) => o[k] > 0));
  const coefficients = new Array<number>(nStates).fill(NaN);
  if (paths.length <= states.length) {
    return {
      coefficients,
      states,
      rSquared: NaN,
      fPValue: NaN,
      dfModel: states.length - 1,
      dfResid: paths.length - states.length,
      fitted: [],
      significant: false,
      note: `too few runs for the regression: ${paths.length} runs for ${states.length} visited states (needs more runs than states)`,
    };
  }
  const r = olsImplicitIntercept(
    occ.map((o) => states.map((k) => o[k])),
    convergence,
  );
  states.forEach((k, j) => (coefficients[k] = r.coefficients[j]));
  const dropped = states.filter((k) => Number.isNaN(coefficients[k]));
  return {
    coefficients,
    states,
    rSquared: r.rSquared,
    fPValue: r.fPValue,
    dfModel: r.dfModel,
    dfResid: r.dfResid,
    fitted: r.fitted,
    significant: r.fPValue < 0.05,
    ...(dropped.length ? { note: `states ${dropped.join(', ')} are collinear with others and were left out` } : {}),
  };
}
