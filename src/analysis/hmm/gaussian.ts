import { choleskyLower, invertLower, logDetFromCholesky } from '../../numeric/linalg.ts';

const LOG_2PI = Math.log(2 * Math.PI);

/** Per-state factors of full-covariance Gaussians, ready for many density evaluations. */
export interface GaussianFactors {
  nStates: number;
  nFeatures: number;
  means: Float64Array; // K×D
  invChol: Float64Array; // K×D×D, L⁻¹ with Σ = L Lᵀ
  logNorm: Float64Array; // K, −½(D ln 2π + ln|Σ|)
  /** Ridge added to each state's diagonal to make it positive definite (0 when none was needed). */
  ridge: Float64Array;
}

/**
 * Below this ratio of the smallest Cholesky pivot² to the largest variance, a covariance is singular in
 * float64 terms (condition number above 1e10): its factor exists, but densities computed from it are
 * rounding noise, and EM on them can lower the likelihood.
 */
const MIN_PIVOT_RATIO = 1e-10;

function wellConditionedCholesky(cov: Float64Array, d: number, chol: Float64Array, scale: number): boolean {
  if (!choleskyLower(cov, d, chol)) return false;
  for (let i = 0; i < d; i++) if (chol[i * d + i] ** 2 < MIN_PIVOT_RATIO * scale) return false;
  return true;
}

/**
 * Smallest ridge λ·I that makes Σ + λI positive definite and well conditioned, found by the escalation
 * hmmlearn starts with (1e-7) and continued by decades. Writes the Cholesky factor to `chol`.
 */
export function regularizedCholesky(cov: Float64Array, d: number, chol: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(cov[i * d + i]));
  if (!Number.isFinite(scale)) throw new Error('covariance contains NaN or Infinity');
  if (wellConditionedCholesky(cov, d, chol, scale)) return 0;
  const work = new Float64Array(d * d);
  for (let ridge = 1e-7; ridge <= Math.max(1, scale) * 1e3; ridge *= 10) {
    work.set(cov);
    for (let i = 0; i < d; i++) work[i * d + i] += ridge;
    if (wellConditionedCholesky(work, d, chol, scale + ridge)) return ridge;
  }
  throw new Error('covariance could not be made positive definite');
}

export function factorGaussians(
  nStates: number,
  nFeatures: number,
  means: Float64Array,
  covars: Float64Array,
): GaussianFactors {
  const d = nFeatures;
  const dd = d * d;
  const invChol = new Float64Array(nStates * dd);
  const logNorm = new Float64Array(nStates);
  const ridge = new Float64Array(nStates);
  const chol = new Float64Array(dd);
  for (let k = 0; k < nStates; k++) {
    ridge[k] = regularizedCholesky(covars.subarray(k * dd, (k + 1) * dd), d, chol);
    invertLower(chol, d, invChol.subarray(k * dd, (k + 1) * dd));
    logNorm[k] = -0.5 * (d * LOG_2PI + logDetFromCholesky(chol, d));
  }
  return { nStates, nFeatures, means, invChol, logNorm, ridge };
}

/**
 * Log-densities of rows [row0, row0 + count) of `data` under every state, written to out[t·K + k].
 * z = L⁻¹(x − μ) is computed for eight checkpoints at once: the short triangular loops are where the
 * time goes, and sharing each L⁻¹ load across eight rows cuts it by more than half.
 */
export function gaussianLogDensities(
  g: GaussianFactors,
  data: Float64Array,
  row0: number,
  count: number,
  out: Float64Array,
): void {
  const { nStates: kk, nFeatures: d, means, invChol, logNorm } = g;
  const dd = d * d;
  const diff = new Float64Array(8 * d);
  for (let k = 0; k < kk; k++) {
    const mo = k * d;
    const lo = k * dd;
    const norm = logNorm[k];
    let t = 0;
    for (; t + 8 <= count; t += 8) {
      const x0 = (row0 + t) * d;
      for (let j = 0; j < d; j++) {
        const m = means[mo + j];
        const b = 8 * j;
        for (let u = 0; u < 8; u++) diff[b + u] = data[x0 + u * d + j] - m;
      }
      let q0 = 0,
        q1 = 0,
        q2 = 0,
        q3 = 0,
        q4 = 0,
        q5 = 0,
        q6 = 0,
        q7 = 0;
      for (let i = 0; i < d; i++) {
        const ro = lo + i * d;
        let z0 = 0,
          z1 = 0,
          z2 = 0,
          z3 = 0,
          z4 = 0,
          z5 = 0,
          z6 = 0,
          z7 = 0;
        for (let j = 0; j <= i; j++) {
          const l = invChol[ro + j];
          const b = 8 * j;
          z0 += l * diff[b];
          z1 += l * diff[b + 1];
          z2 += l * diff[b + 2];
          z3 += l * diff[b + 3];
          z4 += l * diff[b + 4];
          z5 += l * diff[b + 5];
          z6 += l * diff[b + 6];
          z7 += l * diff[b + 7];
        }
        q0 += z0 * z0;
        q1 += z1 * z1;
        q2 += z2 * z2;
        q3 += z3 * z3;
        q4 += z4 * z4;
        q5 += z5 * z5;
        q6 += z6 * z6;
        q7 += z7 * z7;
      }
      const o = t * kk + k;
      out[o] = norm - 0.5 * q0;
      out[o + kk] = norm - 0.5 * q1;
      out[o + 2 * kk] = norm - 0.5 * q2;
      out[o + 3 * kk] = norm - 0.5 * q3;
      out[o + 4 * kk] = norm - 0.5 * q4;
      out[o + 5 * kk] = norm - 0.5 * q5;
      out[o + 6 * kk] = norm - 0.5 * q6;
      out[o + 7 * kk] = norm - 0.5 * q7;
    }
    for (; t < count; t++) {
      const xo = (row0 + t) * d;
      for (let j = 0; j < d; j++) diff[j] = data[xo + j] - means[mo + j];
      let q = 0;
      for (let i = 0; i < d; i++) {
        const ro = lo + i * d;
        let z = 0;
        for (let j = 0; j <= i; j++) z += invChol[ro + j] * diff[j];
        q += z * z;
      }
      out[t * kk + k] = norm - 0.5 * q;
    }
  }
}
