/**
 * Singular values of small dense matrices, for the spectral weight metrics (method.md §3).
 *
 * We need only the values, never the vectors, at every checkpoint, for matrices whose smaller
 * side is at most ~1000. Squaring into the smaller Gram matrix and taking its symmetric eigenvalues
 * is several times cheaper than a bidiagonal SVD and, in float64, accurate to ~1e-13 relative for
 * the singular values that the metrics are sensitive to. Its known cost: a singular value s is
 * resolved only down to about sqrt(n·eps)·s_max, so numerically-zero singular values come out as
 * ~1e-8·s_max instead of ~1e-16·s_max. The metrics zero everything below 1e-5 anyway, so this only
 * matters for matrices with s_max above ~100 and a genuinely rank-deficient spectrum.
 */

/** Values the eigen-solvers accept: typed arrays from tfjs as well as plain arrays in tests. */
export type NumericArray = ArrayLike<number>;

/** Implicit QL sweeps per eigenvalue before we declare the input pathological (LAPACK uses 30·n in total). */
const MAX_QL_ITERATIONS = 60;

/**
 * Singular values of the row-major `rows`×`cols` matrix `data`, in descending order;
 * there are min(rows, cols) of them. A matrix with any non-finite entry gives all-NaN values,
 * because a diverged training run must still produce a (visibly broken) metric row.
 */
export function singularValues(rows: number, cols: number, data: NumericArray): Float64Array {
  checkShape(rows, cols, data.length, 'singularValues');
  const n = Math.min(rows, cols);
  if (n === 0) return new Float64Array(0);
  if (!allFinite(data)) return new Float64Array(n).fill(NaN);

  const gram = gramOfSmallerSide(rows, cols, data);
  const lambda = symmetricEigenvalues(n, gram);
  const sv = new Float64Array(n);
  // Rounding can push the eigenvalues of a PSD matrix slightly below zero.
  for (let i = 0; i < n; i++) sv[i] = Math.sqrt(Math.max(lambda[i], 0));
  return sv;
}

/**
 * Eigenvalues of the symmetric n×n row-major matrix `a`, in descending order. `a` is not modified;
 * it is read as (A + Aᵀ)/2 so that rounding asymmetry in a computed product cannot bias the result.
 * Householder tridiagonalization followed by implicit QL with Wilkinson shifts, after EISPACK tred1/tql1.
 */
export function symmetricEigenvalues(n: number, a: NumericArray): Float64Array {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`symmetricEigenvalues: size must be a non-negative integer, got ${n}`);
  if (a.length !== n * n) {
    throw new Error(`symmetricEigenvalues: expected ${n}×${n} = ${n * n} entries, got ${a.length}`);
  }
  if (!allFinite(a)) return new Float64Array(n).fill(NaN);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) m[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(n, m, d, e);
  tridiagonalEigenvalues(n, d, e);
  return d.sort().reverse();
}

function checkShape(rows: number, cols: number, length: number, who: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new Error(`${who}: shape must be non-negative integers, got ${rows}×${cols}`);
  }
  if (length !== rows * cols) {
    throw new Error(`${who}: a ${rows}×${cols} matrix needs ${rows * cols} values, got ${length}`);
  }
}

function allFinite(a: NumericArray): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * A·Aᵀ when rows ≤ cols, else Aᵀ·A, built from contiguous float64 vectors so that every inner
 * product streams through memory. Products of float32 inputs are exact in float64, so the only
 * rounding is in the sums.
 */
function gramOfSmallerSide(rows: number, cols: number, data: NumericArray): Float64Array {
  const wide = rows <= cols;
  const n = wide ? rows : cols;
  const len = wide ? cols : rows;
  const v = new Float64Array(n * len);
  if (wide) {
    for (let i = 0; i < v.length; i++) v[i] = data[i];
  } else {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) v[c * len + r] = data[r * cols + c];
    }
  }
  const g = new Float64Array(n * n);
  // 2×2 register blocks: four products per four loads instead of per eight.
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = i * len;
    const a1 = a0 + len;
    let j = i;
    for (; j + 1 < n; j += 2) {
      const b0 = j * len;
      const b1 = b0 + len;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      for (let k = 0; k < len; k++) {
        const x0 = v[a0 + k],
          x1 = v[a1 + k],
          y0 = v[b0 + k],
          y1 = v[b1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      setSym(g, n, i, j, s00);
      setSym(g, n, i, j + 1, s01);
      setSym(g, n, i + 1, j, s10);
      setSym(g, n, i + 1, j + 1, s11);
    }
    if (j < n) {
      setSym(g, n, i, j, dot(v, a0, j * len, len));
      setSym(g, n, i + 1, j, dot(v, a1, j * len, len));
    }
  }
  if (i < n) setSym(g, n, i, i, dot(v, i * len, i * len, len));
  return g;
}

function setSym(g: Float64Array, n: number, i: number, j: number, s: number): void {
  g[i * n + j] = s;
  g[j * n + i] = s;
}

/** Four independent accumulators let V8 overlap the multiply-adds. */
function dot(v: Float64Array, a: number, b: number, len: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += v[a + k] * v[b + k];
    s1 += v[a + k + 1] * v[b + k + 1];
    s2 += v[a + k + 2] * v[b + k + 2];
    s3 += v[a + k + 3] * v[b + k + 3];
  }
  for (; k < len; k++) s0 += v[a + k] * v[b + k];
  return s0 + s1 + s2 + s3;
}

/**
 * Reduces the symmetric matrix whose lower triangle is in m (destroyed) to tridiagonal form:
 * diagonal d, subdiagonal e[1..n-1] (e[i] couples i-1 and i). Only the lower triangle is read and
 * updated, with the symmetric half of each product scattered along the same row, so every inner
 * loop walks memory contiguously; rows are taken in pairs to share the loads of u, p and q.
 */
function tridiagonalize(n: number, m: Float64Array, d: Float64Array, e: Float64Array): void {
  const u = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = n - 1; i >= 1; i--) {
    const row = i * n;
    if (i === 1) {
      e[1] = m[row];
      continue;
    }
    // Scaling the Householder vector guards against under/overflow in its squared norm;
    // the reflection I − u·uᵀ/h is invariant to it.
    let scale = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(m[row + k]);
    if (scale === 0) {
      e[i] = 0;
      continue;
    }
    let h = 0;
    for (let k = 0; k < i; k++) {
      const x = m[row + k] / scale;
      u[k] = x;
      h += x * x;
    }
    const f = u[i - 1];
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    e[i] = scale * g;
    h -= f * g;
    u[i - 1] = f - g;

    // p = B·u for the leading i×i block B.
    p.fill(0, 0, i);
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const r0 = j * n;
      const r1 = r0 + n;
      const u0 = u[j];
      const u1 = u[j + 1];
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < j; k++) {
        const x0 = m[r0 + k];
        const x1 = m[r1 + k];
        const uk = u[k];
        s0 += x0 * uk;
        s1 += x1 * uk;
        p[k] += x0 * u0 + x1 * u1;
      }
      const a10 = m[r1 + j];
      p[j] += s0 + m[r0 + j] * u0 + a10 * u1;
      p[j + 1] += s1 + a10 * u0 + m[r1 + j + 1] * u1;
    }
    if (j < i) {
      const r0 = j * n;
      const u0 = u[j];
      let s0 = m[r0 + j] * u0;
      for (let k = 0; k < j; k++) {
        s0 += m[r0 + k] * u[k];
        p[k] += m[r0 + k] * u0;
      }
      p[j] += s0;
    }
    let uDotP = 0;
    for (let k = 0; k < i; k++) {
      p[k] /= h;
      uDotP += p[k] * u[k];
    }
    const kk = uDotP / (h + h);
    for (let k = 0; k < i; k++) p[k] -= kk * u[k]; // p is now q, and B ← B − u·qᵀ − q·uᵀ

    j = 0;
    for (; j + 1 < i; j += 2) {
      const r0 = j * n;
      const r1 = r0 + n;
      const u0 = u[j],
        q0 = p[j],
        u1 = u[j + 1],
        q1 = p[j + 1];
      for (let k = 0; k <= j; k++) {
        const qk = p[k];
        const uk = u[k];
        m[r0 + k] -= u0 * qk + q0 * uk;
        m[r1 + k] -= u1 * qk + q1 * uk;
      }
      m[r1 + j + 1] -= 2 * u1 * q1;
    }
    if (j < i) {
      const r0 = j * n;
      const u0 = u[j],
        q0 = p[j];
      for (let k = 0; k <= j; k++) m[r0 + k] -= u0 * p[k] + q0 * u[k];
    }
  }
  for (let i = 0; i < n; i++) d[i] = m[i * n + i];
  e[0] = 0;
}

/** sqrt(a² + b²) without destructive overflow; Math.hypot is markedly slower in V8. */
function pythag(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) return x * Math.sqrt(1 + (y / x) * (y / x));
  return y === 0 ? 0 : y * Math.sqrt(1 + (x / y) * (x / y));
}

/** Implicit QL (Numerical Recipes tqli without vectors). d becomes the eigenvalues, e is destroyed. */
function tridiagonalEigenvalues(n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  const eps = Number.EPSILON;
  // A coupling below eps·‖T‖ is also negligible: dropping it moves no eigenvalue by more than the rounding
  // the reduction already made. Without this floor, a block of noise-sized entries (the numerically-zero
  // eigenvalues of a Gram matrix with condition number ≳ 1e18) never meets the relative test, because each
  // sweep re-injects rounding of the large eigenvalues into it, and the iteration fails to converge.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= eps * Math.max(dd, norm)) break;
      }
      if (m !== l) {
        if (iter++ === MAX_QL_ITERATIONS) {
          throw new Error(`symmetricEigenvalues: QL iteration did not converge for eigenvalue ${l} of ${n}`);
        }
        let g = (d[l + 1] - d[l]) / (2 * e[l]);
        let r = pythag(g, 1);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let deflated = false;
        for (let i = m - 1; i >= l; i--) {
          const f = s * e[i];
          const b = c * e[i];
          r = pythag(f, g);
          e[i + 1] = r;
          if (r === 0) {
            // Underflow split the matrix; restart this eigenvalue on the smaller block.
            d[i + 1] -= p;
            e[m] = 0;
            deflated = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (deflated) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
}
