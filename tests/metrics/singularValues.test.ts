import { describe, it, expect } from 'vitest';
import { singularValues, symmetricEigenvalues } from '../../src/metrics/singularValues.ts';
import { expectClose } from '../helpers/fixtures.ts';

/** Deterministic uniform(-1, 1) stream (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: rows * cols }, r);
}

function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * k + p] * b[p * n + j];
  return c;
}

/** A random orthogonal n×n matrix as a product of three Householder reflections I − 2vvᵀ/vᵀv. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  let q: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < 3; r++) {
    const v = randomMatrix(n, 1, seed * 10 + r);
    const vv = v.reduce((s, x) => s + x * x, 0);
    const h = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
    q = matmul(q, h, n, n, n);
  }
  return q;
}

/** U·diag(s)·Vᵀ for a rows×cols matrix with the given singular values. */
function withSingularValues(rows: number, cols: number, s: number[], seed: number): Float64Array {
  const d = new Float64Array(rows * cols);
  s.forEach((x, i) => (d[i * cols + i] = x));
  return matmul(
    matmul(randomOrthogonal(rows, seed), d, rows, rows, cols),
    randomOrthogonal(cols, seed + 1),
    rows,
    cols,
    cols,
  );
}

/** |det| by Gaussian elimination with partial pivoting. */
function absDet(n: number, a: Float64Array): number {
  const m = Float64Array.from(a);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    if (p !== c) for (let k = 0; k < n; k++) [m[c * n + k], m[p * n + k]] = [m[p * n + k], m[c * n + k]];
    det *= m[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
    }
  }
  return Math.abs(det);
}

function expectAllClose(actual: ArrayLike<number>, expected: number[], rel: number, abs: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], rel, abs, `value ${i}`);
}

describe('singularValues', () => {
  it('returns |diagonal| in descending order for square, wide and tall diagonal matrices', () => {
    expectAllClose(singularValues(3, 3, [2, 0, 0, 0, -5, 0, 0, 0, 3]), [5, 3, 2], 1e-14, 0);
    expectAllClose(singularValues(2, 4, [3, 0, 0, 0, 0, 4, 0, 0]), [4, 3], 1e-14, 0);
    expectAllClose(singularValues(4, 2, [3, 0, 0, -4, 0, 0, 0, 0]), [4, 3], 1e-14, 0);
  });

  it('gives the norm of a row or column vector', () => {
    expectAllClose(singularValues(1, 2, [3, 4]), [5], 1e-15, 0);
    expectAllClose(singularValues(2, 1, new Float32Array([3, 4])), [5], 1e-15, 0);
    expectAllClose(singularValues(1, 1, [-7]), [7], 0, 0);
  });

  it('gives zeros for a zero matrix and nothing for an empty one', () => {
    expectAllClose(singularValues(3, 5, new Float64Array(15)), [0, 0, 0], 0, 0);
    expect(singularValues(0, 4, []).length).toBe(0);
  });

  for (const [rows, cols] of [
    [6, 6],
    [5, 9],
    [9, 5],
    [40, 17],
    [17, 40],
  ]) {
    it(`recovers prescribed singular values of U·diag(s)·Vᵀ (${rows}×${cols})`, () => {
      const n = Math.min(rows, cols);
      // Spread over four decades, with a repeated pair, which QL must still separate cleanly.
      const s = Array.from({ length: n }, (_, i) => 10 ** (1 - (4 * i) / n)).map((x, i) =>
        i === 2 ? 10 ** (1 - 4 / n) : x,
      );
      s.sort((a, b) => b - a);
      const sv = singularValues(rows, cols, withSingularValues(rows, cols, s, rows * 100 + cols));
      // Squaring into the Gram matrix bounds the error of σ_i by ~n·eps·σ_max²/σ_i, not eps·σ_i:
      // the documented price of the Gram approach, so the tolerance follows that bound.
      expect(sv.length).toBe(n);
      sv.forEach((x, i) => expectClose(x, s[i], 1e-13, (16 * n * Number.EPSILON * s[0] ** 2) / s[i], `σ${i}`));
    });
  }

  for (const [rows, cols] of [
    [8, 8],
    [30, 30],
    [20, 70],
    [70, 20],
    [1, 50],
    [128, 128],
  ]) {
    it(`matches Frobenius² and |det| for a random ${rows}×${cols} matrix`, () => {
      const a = randomMatrix(rows, cols, rows * 7 + cols);
      const sv = singularValues(rows, cols, a);
      expect(sv.length).toBe(Math.min(rows, cols));
      for (let i = 1; i < sv.length; i++) expect(sv[i]).toBeLessThanOrEqual(sv[i - 1]);
      expectClose(
        sv.reduce((s, x) => s + x * x, 0),
        a.reduce((s, x) => s + x * x, 0),
        1e-12,
        0,
        'Σσ² vs ‖A‖F²',
      );
      if (rows === cols) {
        const logProd = sv.reduce((s, x) => s + Math.log(x), 0);
        expectClose(logProd, Math.log(absDet(rows, a)), 1e-9, 1e-9, 'log Πσ vs log|det|');
      }
    });
  }

  it('converges on a 128×128 matrix with singular values from 1e3 down to 1e-8 (the Gram matrix has condition 1e22)', () => {
    // Regression: the QL iteration used to stop with "did not converge" here, because the block of
    // noise-sized eigenvalues never met a purely relative deflation test.
    const n = 128;
    const s = Array.from({ length: n }, (_, i) => 10 ** (3 - (11 * i) / (n - 1)));
    const sv = singularValues(n, n, withSingularValues(n, n, s, 11));
    // The documented Gram-matrix accuracy: σ_i to ~n·eps·σ_max²/σ_i, never worse than ~sqrt(n·eps)·σ_max.
    sv.forEach((x, i) =>
      expectClose(
        x,
        s[i],
        1e-12,
        Math.min((n * Number.EPSILON * s[0] ** 2) / s[i], Math.sqrt(n * Number.EPSILON) * s[0]),
        `σ${i}`,
      ),
    );
  });

  it('accepts float32 data and agrees with the float64 copy', () => {
    const a32 = new Float32Array(randomMatrix(12, 31, 5));
    const a64 = Float64Array.from(a32);
    expect(Array.from(singularValues(12, 31, a32))).toEqual(Array.from(singularValues(12, 31, a64)));
  });

  it('returns NaN values instead of throwing when an entry is not finite', () => {
    const a = randomMatrix(4, 6, 9);
    a[7] = NaN;
    expect(Array.from(singularValues(4, 6, a)).every(Number.isNaN)).toBe(true);
    a[7] = Infinity;
    expect(Array.from(singularValues(4, 6, a)).every(Number.isNaN)).toBe(true);
  });

  it('rejects data whose length does not match the shape', () => {
    expect(() => singularValues(3, 4, new Float64Array(11))).toThrow(/3×4 matrix needs 12 values, got 11/);
    expect(() => singularValues(-1, 4, [])).toThrow(/non-negative integers/);
    expect(() => singularValues(1.5, 2, [1, 2, 3])).toThrow(/non-negative integers/);
  });
});

describe('symmetricEigenvalues', () => {
  it('solves small known cases', () => {
    expectAllClose(symmetricEigenvalues(2, [2, 1, 1, 2]), [3, 1], 1e-15, 0);
    expectAllClose(symmetricEigenvalues(3, [0, 0, 0, 0, -2, 0, 0, 0, 5]), [5, 0, -2], 1e-15, 0);
    expectAllClose(symmetricEigenvalues(1, [4]), [4], 0, 0);
    expect(symmetricEigenvalues(0, []).length).toBe(0);
  });

  it('handles repeated eigenvalues (identity)', () => {
    const n = 7;
    const id = new Float64Array(n * n);
    for (let i = 0; i < n; i++) id[i * n + i] = 1;
    expectAllClose(symmetricEigenvalues(n, id), new Array(n).fill(1), 1e-15, 0);
  });

  it('matches the closed form for the second-difference matrix tridiag(-1, 2, -1)', () => {
    const n = 50;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).reverse();
    expectAllClose(symmetricEigenvalues(n, a), expected, 1e-12, 1e-14);
  });

  it('recovers the spectrum of Q·diag(λ)·Qᵀ including negative eigenvalues', () => {
    const n = 25;
    const lambda = Array.from({ length: n }, (_, i) => 12 - i * 0.9);
    const q = randomOrthogonal(n, 3);
    const qd = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qd[i * n + j] = q[i * n + j] * lambda[j];
    const qt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qt[i * n + j] = q[j * n + i];
    expectAllClose(symmetricEigenvalues(n, matmul(qd, qt, n, n, n)), lambda, 1e-12, 1e-12);
  });

  it('does not modify its input', () => {
    const a = [2, 1, 0, 1, 3, 1, 0, 1, 4];
    const copy = a.slice();
    symmetricEigenvalues(3, a);
    expect(a).toEqual(copy);
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => symmetricEigenvalues(3, new Float64Array(8))).toThrow(/3×3 = 9 entries, got 8/);
  });
});
