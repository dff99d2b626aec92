/**
 * Why ml-matrix is a test oracle only: the time of its SVD (values only) against our singular values
 * (Gram matrix + tridiagonal QL, src/metrics/singularValues.ts) on batches of 40 weight-like matrices.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { singularValues } from '../src/metrics/singularValues.ts';
import { createRng } from '../src/numeric/rng.ts';
import { machine, type BenchResult } from './harness.ts';

function weightLike(rows: number, cols: number, seed: number): Float64Array {
  const rng = createRng(seed, 'bench-ml-matrix');
  const scale = 1 / Math.sqrt(cols);
  return Float64Array.from({ length: rows * cols }, () => rng.normal() * scale);
}

function toMatrix(rows: number, cols: number, data: Float64Array): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, data[i * cols + j]);
  return m;
}

export async function mlMatrixOracleBench(): Promise<BenchResult> {
  const batch = 40;
  const repeats = 5;
  const shapes: [number, number][] = [
    [128, 128],
    [128, 512],
    [512, 128],
    [1000, 40],
  ];
  const rows: BenchResult['rows'] = [];
  for (const [r, c] of shapes) {
    const data = Array.from({ length: batch }, (_, i) => weightLike(r, c, r * 7919 + c * 31 + i));
    // Conversion to ml-matrix's Matrix is done once, outside the timing: only the decomposition is compared.
    const matrices = data.map((d) => toMatrix(r, c, d));
    const ours = () => data.map((d) => singularValues(r, c, d));
    const theirs = () =>
      matrices.map(
        (m) =>
          new SingularValueDecomposition(m, {
            computeLeftSingularVectors: false,
            computeRightSingularVectors: false,
            autoTranspose: true,
          }).diagonal,
      );
    let bestOurs = Infinity;
    let bestTheirs = Infinity;
    let worst = 0;
    for (let rep = 0; rep < repeats + 1; rep++) {
      const t0 = performance.now();
      const a = ours();
      const t1 = performance.now();
      const b = theirs();
      const t2 = performance.now();
      if (rep === 0) {
        a.forEach((sv, i) => sv.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - b[i][j]) / b[i][0]))));
        continue; // the first round warms up both
      }
      bestOurs = Math.min(bestOurs, t1 - t0);
      bestTheirs = Math.min(bestTheirs, t2 - t1);
    }
    rows.push({
      shape: `${r}×${c}`,
      matrices: batch,
      'ours ms': bestOurs,
      'ml-matrix ms': bestTheirs,
      'ml-matrix / ours': bestTheirs / bestOurs,
      'max |Δσ| / σ_max': worst,
    });
  }
  return {
    benchmark: 'ml-matrix-oracle',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      `singular values of ${batch} Gaussian matrices (entries N(0, 1/cols)) per shape; min of ${repeats} interleaved runs after one warm-up`,
      'ml-matrix 6.15: SingularValueDecomposition without vectors, autoTranspose; Matrix construction not timed',
    ],
  };
}
