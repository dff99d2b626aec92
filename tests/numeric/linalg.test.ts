/** src/numeric/linalg.ts against ml-matrix (Mapack Cholesky, LU inverse and determinant, covariance). */
import { CholeskyDecomposition, covariance, determinant, inverse, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  choleskyLower,
  covarianceOfRows,
  flatten2d,
  invertLower,
  invertSpd,
  logDetFromCholesky,
  solveLinear,
} from '../../src/numeric/linalg.ts';
import { fromMatrix, gaussianMatrix, spdWithEigenvalues, toMatrix } from '../helpers/oracle.ts';

const EPS = Number.EPSILON;

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Random SPD n×n with log-spaced eigenvalues from `hi` down to `lo`. */
function spd(n: number, hi: number, lo: number, seed: number): Float64Array {
  return spdWithEigenvalues(
    Array.from({ length: n }, (_, i) => hi * (lo / hi) ** (n > 1 ? i / (n - 1) : 0)),
    seed,
  );
}

const cases: { name: string; n: number; hi: number; lo: number }[] = [
  { name: '1×1', n: 1, hi: 3, lo: 3 },
  { name: '3×3 well conditioned', n: 3, hi: 2, lo: 0.5 },
  { name: '14×14 (the HMM feature count), condition 1e4', n: 14, hi: 10, lo: 1e-3 },
  { name: '40×40, condition 1e6', n: 40, hi: 1e3, lo: 1e-3 },
  { name: '14×14 nearly singular, condition 1e12', n: 14, hi: 1, lo: 1e-12 },
  { name: '8×8 at 1e-150 scale', n: 8, hi: 1e-150, lo: 1e-152 },
];

describe('choleskyLower, invertLower, logDetFromCholesky, invertSpd agree with ml-matrix on SPD matrices', () => {
  for (const c of cases) {
    const cond = c.hi / c.lo;
    it(c.name, () => {
      const a = spd(c.n, c.hi, c.lo, c.n * 31 + 7);
      const n = c.n;
      const l = new Float64Array(n * n);
      expect(choleskyLower(a, n, l)).toBe(true);
      const ref = new CholeskyDecomposition(toMatrix(n, n, a));
      expect(ref.isPositiveDefinite()).toBe(true);
      const refL = fromMatrix(ref.lowerTriangularMatrix);
      // Cholesky factors are unique and computed backward stably: they agree to ~cond·eps relative to ‖L‖.
      expect(maxAbsDiff(l, refL)).toBeLessThanOrEqual(4 * n * Math.sqrt(cond) * EPS * maxAbs(refL) + 1e-300);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);

      const li = invertLower(l, n);
      const refLi = fromMatrix(inverse(ref.lowerTriangularMatrix));
      expect(maxAbsDiff(li, refLi)).toBeLessThanOrEqual(8 * n * cond * EPS * maxAbs(refLi));

      // log|A| = Σ log λ exactly for the matrix we built; ml-matrix's LU determinant where it does not underflow.
      const logDet = logDetFromCholesky(l, n);
      const logDetRef =
        c.hi === c.lo
          ? n * Math.log(c.hi)
          : Array.from({ length: n }, (_, i) => Math.log(c.hi * (c.lo / c.hi) ** (i / (n - 1)))).reduce(
              (s, x) => s + x,
              0,
            );
      expect(Math.abs(logDet - logDetRef)).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(logDetRef)) + n * cond * EPS,
      );
      const det = determinant(toMatrix(n, n, a));
      if (det > 1e-300 && det < 1e300)
        expect(Math.abs(logDet - Math.log(det))).toBeLessThanOrEqual(1e-6 + n * cond * EPS);

      const inv = invertSpd(a, n);
      expect(inv).not.toBeNull();
      const refInv = fromMatrix(inverse(toMatrix(n, n, a)));
      expect(maxAbsDiff(inv!, refInv)).toBeLessThanOrEqual(8 * n * cond * EPS * maxAbs(refInv));
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inv![i * n + j]).toBe(inv![j * n + i]);
    });
  }

  it('reads only the lower triangle and overwrites a reused output buffer', () => {
    const n = 5;
    const a = spd(n, 4, 1, 3);
    const messy = a.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) messy[i * n + j] = 1e6 * (i - j);
    const l1 = new Float64Array(n * n);
    const l2 = new Float64Array(n * n).fill(7);
    expect(choleskyLower(a, n, l1)).toBe(true);
    expect(choleskyLower(messy, n, l2)).toBe(true);
    expect(Array.from(l2)).toEqual(Array.from(l1));
  });
});

describe('non-positive-definite input is reported (false / null), where ml-matrix also says not positive definite', () => {
  const n = 6;
  const indefinite = spdWithEigenvalues([5, 3, 2, 1, 0.5, -0.25], 5);
  const semidefinite = (() => {
    // rank 3 Gram matrix: exactly singular up to rounding, which must not make it pass as definite
    const b = toMatrix(n, 3, gaussianMatrix(n, 3, 9));
    const g = fromMatrix(b.mmul(b.transpose()));
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g[i * n + j] = g[j * n + i];
    return g;
  })();
  const negativeDiagonal = flatten2d([
    [-1, 0],
    [0, 2],
  ]);
  const zero = new Float64Array(n * n);
  for (const [name, a, size] of [
    ['indefinite (one eigenvalue −0.25)', indefinite, n],
    ['negative diagonal', negativeDiagonal, 2],
    ['zero matrix', zero, n],
  ] as const) {
    it(name, () => {
      expect(choleskyLower(a, size)).toBe(false);
      expect(invertSpd(a, size)).toBeNull();
      expect(new CholeskyDecomposition(toMatrix(size, size, a)).isPositiveDefinite()).toBe(false);
    });
  }

  it('a rank-3 6×6 Gram matrix: not accepted as positive definite by either, or only with a pivot at rounding level', () => {
    const l = new Float64Array(n * n);
    const ok = choleskyLower(semidefinite, n, l);
    const scale = maxAbs(semidefinite);
    if (ok) {
      // Rounding may leave a tiny positive pivot; it must then be at rounding level, never a real one.
      const minPivot = Math.min(...Array.from({ length: n }, (_, i) => l[i * n + i] ** 2));
      expect(minPivot).toBeLessThan(1e3 * n * EPS * scale);
    }
    const refOk = new CholeskyDecomposition(toMatrix(n, n, semidefinite)).isPositiveDefinite();
    if (refOk) {
      const refL = new CholeskyDecomposition(toMatrix(n, n, semidefinite)).lowerTriangularMatrix;
      expect(Math.min(...Array.from({ length: n }, (_, i) => refL.get(i, i) ** 2))).toBeLessThan(1e3 * n * EPS * scale);
    }
  });

  it('NaN or Infinity on the diagonal is not positive definite', () => {
    for (const bad of [NaN, Infinity]) {
      const a = spd(3, 2, 1, 1);
      a[4] = bad;
      expect(choleskyLower(a, 3)).toBe(false);
      expect(invertSpd(a, 3)).toBeNull();
    }
  });
});

describe('covarianceOfRows agrees with ml-matrix covariance', () => {
  for (const [n, d] of [
    [50, 14],
    [3, 5],
    [1000, 2],
  ]) {
    it(`${n} rows × ${d} features, sample (n − 1) and population (n) normalization`, () => {
      const x = gaussianMatrix(n, d, n + d);
      for (let i = 0; i < x.length; i++) x[i] = x[i] * (1 + (i % d)) + 100 * (i % d); // different scales and offsets
      const ref = fromMatrix(covariance(toMatrix(n, d, x)));
      const ours = covarianceOfRows(x, n, d);
      expect(maxAbsDiff(ours, ref)).toBeLessThanOrEqual(1e-12 * maxAbs(ref) * Math.sqrt(n));
      const pop = covarianceOfRows(x, n, d, 0);
      expect(
        maxAbsDiff(
          pop,
          ref.map((v) => (v * (n - 1)) / n),
        ),
      ).toBeLessThanOrEqual(1e-12 * maxAbs(ref) * Math.sqrt(n));
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(ours[i * d + j]).toBe(ours[j * d + i]);
    });
  }

  it('a single row has zero covariance (no division by zero)', () => {
    expect(Array.from(covarianceOfRows(Float64Array.from([1, 2, 3]), 1, 3))).toEqual(new Array(9).fill(0));
  });
});

describe('flatten2d', () => {
  it('copies nested rows into one row-major array; an empty matrix gives an empty array', () => {
    expect(
      Array.from(
        flatten2d([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toEqual([1, 2, 3, 4, 5, 6]);
    expect(flatten2d([]).length).toBe(0);
    expect(
      fromMatrix(
        new Matrix([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toEqual(
      flatten2d([
        [1, 2],
        [3, 4],
      ]),
    );
  });
});

describe('solveLinear', () => {
  it('solves A x = b for several right-hand sides, pivoting past a zero on the diagonal, and leaves A as it was', () => {
    const a = Float64Array.from([0, 2, 1, 1, 1, 0, 2, 0, 3]);
    const copy = Float64Array.from(a);
    const xs = [Float64Array.from([1, 2, 3]), Float64Array.from([-1, 0.5, 4])];
    const bs = xs.map((x) =>
      Float64Array.from({ length: 3 }, (_, i) => a[i * 3] * x[0] + a[i * 3 + 1] * x[1] + a[i * 3 + 2] * x[2]),
    );
    const solved = solveLinear(a, 3, bs);
    solved.forEach((x, k) => x.forEach((v, i) => expect(v).toBeCloseTo(xs[k][i], 12)));
    expect(a).toEqual(copy);
  });
  it('a singular matrix throws the message it is given', () => {
    expect(() =>
      solveLinear(Float64Array.from([1, 2, 2, 4]), 2, [Float64Array.from([1, 1])], 'no inverse here'),
    ).toThrow('no inverse here');
  });
});
