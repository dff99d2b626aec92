/** Small dense linear algebra on row-major Float64Arrays: what the HMM and the map need, nothing more. */

/**
 * Cholesky factor L (lower, row-major) of a symmetric matrix, written to `out`.
 * Returns false when the matrix is not positive definite (a pivot is <= 0 or not finite).
 */
export function choleskyLower(a: Float64Array, n: number, out: Float64Array = new Float64Array(n * n)): boolean {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= out[i * n + k] * out[j * n + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        out[i * n + i] = Math.sqrt(s);
      } else {
        out[i * n + j] = s / out[j * n + j];
      }
    }
  }
  return true;
}

/** Inverse of a lower-triangular matrix (lower triangular again). */
export function invertLower(l: Float64Array, n: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 1 / l[i * n + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += l[i * n + k] * out[k * n + j];
      out[i * n + j] = -s / l[i * n + i];
    }
  }
  return out;
}

/** log|A| from A's Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}

/** Inverse of a symmetric positive-definite matrix, or null when it is not positive definite. */
export function invertSpd(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  if (!choleskyLower(a, n, l)) return null;
  const li = invertLower(l, n);
  // A^-1 = L^-T L^-1
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k * n + i] * li[k * n + j];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** Sample covariance (divide by n - ddof) of the rows of a flat n×d matrix. */
export function covarianceOfRows(x: Float64Array, n: number, d: number, ddof = 1): Float64Array {
  const mean = new Float64Array(d);
  for (let t = 0; t < n; t++) for (let i = 0; i < d; i++) mean[i] += x[t * d + i];
  for (let i = 0; i < d; i++) mean[i] /= n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < d; i++) c[i] = x[t * d + i] - mean[i];
    for (let i = 0; i < d; i++) {
      const ci = c[i];
      for (let j = 0; j <= i; j++) cov[i * d + j] += ci * c[j];
    }
  }
  const denom = Math.max(n - ddof, 1);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = cov[i * d + j] / denom;
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  return cov;
}

/** Copies a nested matrix into a flat row-major Float64Array. */
export function flatten2d(rows: readonly (readonly number[])[]): Float64Array {
  const n = rows.length;
  const d = n > 0 ? rows[0].length : 0;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) out.set(rows[i], i * d);
  return out;
}

/**
 * Solves A x = b for each b in `rhs` by Gaussian elimination with partial pivoting; A is n×n row-major and is
 * not modified. Throws `singular` when a pivot is zero.
 */
export function solveLinear(
  matrix: Float64Array,
  n: number,
  rhs: readonly Float64Array[],
  singular = 'the matrix is singular',
): Float64Array[] {
  const a = Float64Array.from(matrix);
  const xs = rhs.map((b) => Float64Array.from(b));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    if (!(Math.abs(a[p * n + c]) > 0)) throw new Error(singular);
    if (p !== c) {
      for (let j = 0; j < n; j++) [a[c * n + j], a[p * n + j]] = [a[p * n + j], a[c * n + j]];
      for (const x of xs) [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / a[c * n + c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) a[r * n + j] -= f * a[c * n + j];
      for (const x of xs) x[r] -= f * x[c];
    }
  }
  for (const x of xs) {
    for (let r = n - 1; r >= 0; r--) {
      let v = x[r];
      for (let j = r + 1; j < n; j++) v -= a[r * n + j] * x[j];
      x[r] = v / a[r * n + r];
    }
  }
  return xs;
}
