/**
 * ml-matrix as an independent oracle for our linear algebra. Tests only: it is a different code base
 * (Golub–Kahan SVD, Mapack Cholesky and LU), so agreement with it is evidence, and it is too slow for
 * the run-time path (bench/mlMatrixOracle.ts measures by how much).
 */
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { createRng } from '../../src/numeric/rng.ts';

/** Row-major flat array → ml-matrix Matrix. */
export function toMatrix(rows: number, cols: number, data: ArrayLike<number>): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, data[i * cols + j]);
  return m;
}

/** ml-matrix Matrix → row-major Float64Array. */
export function fromMatrix(m: Matrix): Float64Array {
  return Float64Array.from(m.to1DArray());
}

/** Seeded N(0, scale²) entries, rows×cols row-major. */
export function gaussianMatrix(rows: number, cols: number, seed: number, scale = 1): Float64Array {
  const rng = createRng(seed, 'oracle-gaussian');
  return Float64Array.from({ length: rows * cols }, () => rng.normal() * scale);
}

/** Singular values from ml-matrix's SVD, descending, min(rows, cols) of them. */
export function referenceSingularValues(rows: number, cols: number, data: ArrayLike<number>): number[] {
  const svd = new SingularValueDecomposition(toMatrix(rows, cols, data), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return svd.diagonal.slice(0, Math.min(rows, cols));
}

/** An m×r matrix with orthonormal columns (Q of a Gaussian matrix's QR). */
export function orthonormalColumns(m: number, r: number, seed: number): Matrix {
  const q = new QrDecomposition(toMatrix(m, r, gaussianMatrix(m, r, seed))).orthogonalMatrix;
  return q.subMatrix(0, m - 1, 0, r - 1);
}

/** U·diag(s)·Vᵀ, a rows×cols matrix whose nonzero singular values are exactly s (up to rounding). */
export function withSingularValues(rows: number, cols: number, s: readonly number[], seed: number): Float64Array {
  const u = orthonormalColumns(rows, s.length, seed);
  const v = orthonormalColumns(cols, s.length, seed + 1);
  return fromMatrix(u.mulRowVector(s as number[]).mmul(v.transpose())); // mulRowVector scales u in place
}

/** A random symmetric positive-definite n×n matrix with eigenvalues `lambda`: Q·diag(λ)·Qᵀ, symmetrized exactly. */
export function spdWithEigenvalues(lambda: readonly number[], seed: number): Float64Array {
  const n = lambda.length;
  const q = orthonormalColumns(n, n, seed);
  // ml-matrix arithmetic works in place, hence the clone.
  const a = fromMatrix(
    q
      .clone()
      .mulRowVector(lambda as number[])
      .mmul(q.transpose()),
  );
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = 0.5 * (a[i * n + j] + a[j * n + i]);
  return a;
}
