/**
 * Float32 emulations (Math.fround after every operation) of the singular-value methods considered for
 * the GPU kernels, so their accuracy can be compared on the same matrices without a GPU:
 * - the Gram matrix AᵀA formed in float32, its eigenvalues in float64 (what a GPU Gram product plus a
 *   careful eigensolver would give);
 * - one-sided (Hestenes) Jacobi in float32 with the round-robin pair order a GPU runs in parallel;
 * - Householder bidiagonalization in float32 followed by bisection on the Golub–Kahan tridiagonal in
 *   float32, the method kernels/svd.wgsl implements, in the same order of operations.
 * Every function takes a tall column-major m×n matrix (m ≥ n) and returns the n singular values, descending.
 */
import { symmetricEigenvalues } from '../src/metrics/singularValues.ts';

const f = Math.fround;

/** Tall column-major float32 copy of a row-major rows×cols matrix (transposed when wide). */
export function tallColumnMajor(
  rows: number,
  cols: number,
  data: ArrayLike<number>,
): { m: number; n: number; a: Float32Array } {
  const wide = rows < cols;
  const m = wide ? cols : rows;
  const n = wide ? rows : cols;
  const a = new Float32Array(m * n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Column j of the tall matrix is row j of a wide one, or column j of a tall one.
      if (wide) a[r * m + c] = data[r * cols + c];
      else a[c * m + r] = data[r * cols + c];
    }
  }
  return { m, n, a };
}

export function gramFloat32(m: number, n: number, a: Float32Array): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s = f(s + f(a[i * m + k] * a[j * m + k]));
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  const lambda = symmetricEigenvalues(n, g);
  return lambda.map((l) => Math.sqrt(Math.max(l, 0)));
}

/** One-sided Jacobi; returns the singular values after each sweep (sweeps[k] = after k+1 sweeps). */
export function jacobiFloat32(
  m: number,
  n: number,
  a0: Float32Array,
  maxSweeps: number,
): { sweeps: Float64Array[]; rotations: number[] } {
  return jacobi(m, n, a0, maxSweeps, Math.fround, 1.2e-7);
}

/**
 * The same in float64 to convergence: the benchmark's reference, exact to ~1e-15·σ_max even for values the
 * float64 Gram path resolves only to ~1e-8·σ_max.
 */
export function jacobiFloat64(m: number, n: number, a0: ArrayLike<number>): Float64Array {
  const { sweeps } = jacobi(m, n, a0, 60, (x) => x, 1e-15, true);
  return sweeps[sweeps.length - 1];
}

function jacobi(
  m: number,
  n: number,
  a0: ArrayLike<number>,
  maxSweeps: number,
  f: (x: number) => number,
  tol: number,
  stopWhenDone = false,
): { sweeps: Float64Array[]; rotations: number[] } {
  const a = Float64Array.from(a0 as ArrayLike<number>, f);
  const cols = n % 2 === 0 ? n : n + 1; // a dummy column when n is odd
  const sweeps: Float64Array[] = [];
  const rotations: number[] = [];
  const order = Int32Array.from({ length: cols }, (_, i) => i);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = 0;
    for (let round = 0; round < cols - 1; round++) {
      for (let k = 0; k < cols / 2; k++) {
        const p = Math.min(order[k], order[cols - 1 - k]);
        const q = Math.max(order[k], order[cols - 1 - k]);
        if (q >= n) continue;
        let alpha = 0,
          beta = 0,
          gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = a[p * m + i];
          const y = a[q * m + i];
          alpha = f(alpha + f(x * x));
          beta = f(beta + f(y * y));
          gamma = f(gamma + f(x * y));
        }
        if (gamma === 0 || Math.abs(gamma) <= f(f(tol * Math.sqrt(alpha)) * Math.sqrt(beta))) continue;
        rotated++;
        const zeta = f(f(beta - alpha) / f(2 * gamma));
        const t = f((zeta >= 0 ? 1 : -1) / f(Math.abs(zeta) + f(Math.sqrt(f(1 + f(zeta * zeta))))));
        const c = f(1 / f(Math.sqrt(f(1 + f(t * t)))));
        const s = f(c * t);
        for (let i = 0; i < m; i++) {
          const x = a[p * m + i];
          const y = a[q * m + i];
          a[p * m + i] = f(f(c * x) - f(s * y));
          a[q * m + i] = f(f(s * x) + f(c * y));
        }
      }
      // Round-robin: keep order[0] fixed and rotate the rest by one.
      const last = order[cols - 1];
      for (let k = cols - 1; k > 1; k--) order[k] = order[k - 1];
      order[1] = last;
    }
    const sv = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s = f(s + f(a[j * m + i] * a[j * m + i]));
      sv[j] = Math.sqrt(s);
    }
    sweeps.push(sv.sort().reverse());
    rotations.push(rotated);
    if (stopWhenDone && rotated === 0) break;
  }
  return { sweeps, rotations };
}

/** Upper bidiagonal (d, e) of a tall column-major matrix by Householder reflections, in float32. */
export function bidiagonalizeFloat32(m: number, n: number, a0: Float32Array): { d: Float32Array; e: Float32Array } {
  const a = Float32Array.from(a0);
  const d = new Float32Array(n);
  const e = new Float32Array(Math.max(n - 1, 0));
  const at = (i: number, j: number) => j * m + i;
  for (let k = 0; k < n; k++) {
    // Left reflector: zero column k below the diagonal.
    let ss = 0;
    for (let i = k; i < m; i++) ss = f(ss + f(a[at(i, k)] * a[at(i, k)]));
    const alpha = f(Math.sqrt(ss));
    const x0 = a[at(k, k)];
    if (alpha === 0) {
      d[k] = 0;
    } else {
      const dk = x0 >= 0 ? -alpha : alpha;
      d[k] = dk;
      const v0 = f(x0 - dk);
      const beta = f(1 / f(alpha * f(alpha + Math.abs(x0))));
      a[at(k, k)] = v0;
      for (let j = k + 1; j < n; j++) {
        let w = 0;
        for (let i = k; i < m; i++) w = f(w + f(a[at(i, k)] * a[at(i, j)]));
        const bw = f(beta * w);
        for (let i = k; i < m; i++) a[at(i, j)] = f(a[at(i, j)] - f(bw * a[at(i, k)]));
      }
    }
    if (k >= n - 1) continue;
    if (k === n - 2) {
      e[k] = a[at(k, k + 1)];
      continue;
    }
    // Right reflector: zero row k right of the superdiagonal.
    let rs = 0;
    for (let j = k + 1; j < n; j++) rs = f(rs + f(a[at(k, j)] * a[at(k, j)]));
    const b = f(Math.sqrt(rs));
    const y0 = a[at(k, k + 1)];
    if (b === 0) {
      e[k] = 0;
      continue;
    }
    const ek = y0 >= 0 ? -b : b;
    e[k] = ek;
    const u0 = f(y0 - ek);
    const gamma = f(1 / f(b * f(b + Math.abs(y0))));
    a[at(k, k + 1)] = u0;
    for (let i = k + 1; i < m; i++) {
      let z = 0;
      for (let j = k + 1; j < n; j++) z = f(z + f(a[at(i, j)] * a[at(k, j)]));
      const gz = f(gamma * z);
      for (let j = k + 1; j < n; j++) a[at(i, j)] = f(a[at(i, j)] - f(gz * a[at(k, j)]));
    }
  }
  return { d, e };
}

/**
 * Number of eigenvalues below x > 0 of the Golub–Kahan tridiagonal (zero diagonal, off-diagonals
 * d0, e0, d1, e1, …) given by the squares d2, e2 of its off-diagonals: n plus the singular values below x.
 */
export function countBelowFloat32(d2: Float32Array, e2: Float32Array, x: number): number {
  const n = d2.length;
  let count = 1;
  let q = f(-x);
  const step = (b2: number) => {
    q = f(f(-x) - f(b2 / q));
    if (Math.abs(q) < PIVMIN) q = -PIVMIN;
    if (q < 0) count++;
  };
  for (let i = 0; i < n; i++) {
    step(d2[i]);
    if (i + 1 < n) step(e2[i]);
  }
  return count;
}

const PIVMIN = f(1e-36);

/** As kernels/svd.wgsl: scale by the Gershgorin bound, bisect each value to float32 precision. */
export function bisectionFloat32(d: Float32Array, e: Float32Array): Float64Array {
  const n = d.length;
  let bound = 0;
  for (let i = 0; i < n; i++) {
    const left = i > 0 ? Math.abs(e[i - 1]) : 0;
    const right = i + 1 < n ? Math.abs(e[i]) : 0;
    bound = Math.max(bound, f(Math.abs(d[i]) + Math.max(left, right)));
  }
  const sv = new Float64Array(n);
  if (bound === 0) return sv;
  const inv = f(1 / bound);
  const d2 = d.map((x) => f(f(x * inv) * f(x * inv)));
  const e2 = new Float32Array(n).map((_, i) => (i + 1 < n ? f(f(e[i] * inv) * f(e[i] * inv)) : 0));
  for (let k = 0; k < n; k++) {
    let lo = 0;
    let hi = f(1 + 1e-6);
    for (let it = 0; it < 64; it++) {
      const mid = f(f(lo + hi) * 0.5);
      if (mid <= lo || mid >= hi || f(hi - lo) <= f(f(5.96e-8 * hi) + 1.46e-11)) break;
      if (countBelowFloat32(d2, e2, mid) >= 2 * n - k) hi = mid;
      else lo = mid;
    }
    sv[k] = f(f(f(f(lo + hi) * 0.5) * bound));
  }
  return sv;
}

export function bidiagonalBisectionFloat32(m: number, n: number, a: Float32Array): Float64Array {
  const { d, e } = bidiagonalizeFloat32(m, n, a);
  return bisectionFloat32(d, e);
}
