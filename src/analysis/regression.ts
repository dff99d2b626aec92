import { fDistributionSurvival } from '../numeric/specialFunctions.ts';

export interface OlsResult {
  /** One per column; NaN for a column dropped as linearly dependent on earlier ones. */
  coefficients: number[];
  fitted: number[];
  residuals: number[];
  rank: number;
  /** Centered R²: the design's columns sum to a constant, so the intercept is implicit. */
  rSquared: number;
  fStatistic: number;
  fPValue: number;
  dfModel: number;
  dfResid: number;
}

/**
 * Ordinary least squares without an explicit intercept, by Householder QR with column pivoting
 * (rank-revealing, so collinear states do not blow up). R² and the F-test are the centered ones,
 * as statsmodels reports them when the design contains a constant implicitly (df_model = rank − 1).
 */
export function olsImplicitIntercept(x: readonly (readonly number[])[], y: readonly number[]): OlsResult {
  const n = x.length;
  const p = n > 0 ? x[0].length : 0;
  if (n === 0 || p === 0) throw new Error('regression needs at least one observation and one feature');
  if (y.length !== n) throw new Error(`regression: ${n} rows of features but ${y.length} targets`);
  const a = x.map((r) => Float64Array.from(r));
  const b = Float64Array.from(y);
  const perm = Array.from({ length: p }, (_, i) => i);
  const norms = Array.from({ length: p }, (_, j) => a.reduce((s, r) => s + r[j] * r[j], 0));
  const scale = Math.max(...norms.map(Math.sqrt), 1e-300);
  let rank = 0;
  for (let k = 0; k < Math.min(n, p); k++) {
    // Pivot: the remaining column with the largest remaining norm.
    let best = k;
    for (let j = k + 1; j < p; j++) if (colNorm2(a, perm[j], k) > colNorm2(a, perm[best], k)) best = j;
    [perm[k], perm[best]] = [perm[best], perm[k]];
    const c = perm[k];
    const alpha = Math.sqrt(colNorm2(a, c, k));
    if (alpha <= 1e-12 * scale) break;
    rank++;
    const v = new Float64Array(n);
    const sign = a[k][c] >= 0 ? 1 : -1;
    for (let i = k; i < n; i++) v[i] = a[i][c];
    v[k] += sign * alpha;
    const vv = v.reduce((s, e) => s + e * e, 0);
    const apply = (get: (i: number) => number, set: (i: number, val: number) => void) => {
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i] * get(i);
      const f = (2 * dot) / vv;
      for (let i = k; i < n; i++) set(i, get(i) - f * v[i]);
    };
    for (let j = k; j < p; j++) {
      const col = perm[j];
      apply(
        (i) => a[i][col],
        (i, val) => (a[i][col] = val),
      );
    }
    apply(
      (i) => b[i],
      (i, val) => (b[i] = val),
    );
  }
  const coef = new Float64Array(rank);
  for (let k = rank - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < rank; j++) s -= a[k][perm[j]] * coef[j];
    coef[k] = s / a[k][perm[k]];
  }
  const coefficients = new Array<number>(p).fill(NaN);
  for (let k = 0; k < rank; k++) coefficients[perm[k]] = coef[k];
  const fitted = x.map((r) => r.reduce((s, v, j) => s + (Number.isNaN(coefficients[j]) ? 0 : v * coefficients[j]), 0));
  const residuals = y.map((v, i) => v - fitted[i]);
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const ssr = residuals.reduce((s, v) => s + v * v, 0);
  const dfModel = rank - 1;
  const dfResid = n - rank;
  const rSquared = sst > 0 ? 1 - ssr / sst : NaN;
  const fStatistic = dfModel > 0 && dfResid > 0 ? (sst - ssr) / dfModel / (ssr / dfResid) : NaN;
  return {
    coefficients,
    fitted,
    residuals,
    rank,
    rSquared,
    fStatistic,
    fPValue: fDistributionSurvival(fStatistic, dfModel, dfResid),
    dfModel,
    dfResid,
  };
}

function colNorm2(a: Float64Array[], col: number, from: number): number {
  let s = 0;
  for (let i = from; i < a.length; i++) s += a[i][col] * a[i][col];
  return s;
}
