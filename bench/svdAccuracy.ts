/**
 * `npm run bench -- svd-accuracy`: how accurately each candidate singular-value method works in float32
 * (emulated on the CPU, bench/svdFloat32.ts), on the shapes the metrics meet and on the matrices that
 * are hard for it: low rank, a graded spectrum through the 1e-5 threshold, sparse, and real trained
 * weights from the metrics fixtures. The error is max |σ − σ_ref| / σ_max against float64, and
 * "misclassified" counts values on the wrong side of the 1e-5 floor (SPEC §2).
 * BENCH_SVD_QUICK=1 keeps to the small shapes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../src/numeric/rng.ts';
import { singularValues } from '../src/metrics/singularValues.ts';
import { SINGULAR_VALUE_FLOOR } from '../src/metrics/weightMetrics.ts';
import { bidiagonalBisectionFloat32, gramFloat32, jacobiFloat32, tallColumnMajor } from './svdFloat32.ts';
import { machine, type BenchResult } from './harness.ts';

interface TestMatrix {
  kind: string;
  rows: number;
  cols: number;
  data: Float32Array;
}

const SWEEPS = [4, 6, 8, 10, 12, 15, 20, 25];

function gaussian(rng: ReturnType<typeof createRng>, n: number, sd: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * sd;
  return out;
}

/** U·diag(s)·Vᵀ with random orthonormal-ish U, V (Gaussian columns, Gram–Schmidt) and the given spectrum. */
function withSpectrum(rng: ReturnType<typeof createRng>, rows: number, cols: number, s: number[]): Float32Array {
  const orth = (len: number, k: number) => {
    const q: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const v = gaussian(rng, len, 1);
      for (let pass = 0; pass < 2; pass++) {
        for (const u of q) {
          let dot = 0;
          for (let i = 0; i < len; i++) dot += u[i] * v[i];
          for (let i = 0; i < len; i++) v[i] -= dot * u[i];
        }
      }
      let norm = 0;
      for (let i = 0; i < len; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm);
      for (let i = 0; i < len; i++) v[i] /= norm;
      q.push(v);
    }
    return q;
  };
  const k = s.length;
  const u = orth(rows, k);
  const v = orth(cols, k);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let x = 0;
      for (let j = 0; j < k; j++) x += u[j][r] * s[j] * v[j][c];
      out[r * cols + c] = x;
    }
  }
  return out;
}

function testMatrices(quick: boolean): TestMatrix[] {
  const rng = createRng(20240601, 'svd-accuracy');
  const shapes: [number, number][] = quick
    ? [
        [32, 128],
        [1000, 40],
      ]
    : [
        [32, 128],
        [128, 128],
        [512, 128],
        [128, 512],
        [1000, 40],
      ];
  const out: TestMatrix[] = [];
  for (const [rows, cols] of shapes) {
    const n = Math.min(rows, cols);
    out.push({ kind: 'gaussian N(0,1/128)', rows, cols, data: Float32Array.from(gaussian(rng, rows * cols, 1 / Math.sqrt(128))) });
    const rank = Math.max(1, Math.round(0.75 * n));
    const lowRank = Array.from({ length: rank }, (_, i) => 10 * Math.pow(0.9, i));
    out.push({ kind: `rank ${rank}, σ_max 10`, rows, cols, data: withSpectrum(rng, rows, cols, lowRank) });
    const graded = Array.from({ length: n }, (_, i) => Math.pow(10, -8 * (i / (n - 1))));
    out.push({ kind: 'graded 1 → 1e-8', rows, cols, data: withSpectrum(rng, rows, cols, graded) });
    const sparse = gaussian(rng, rows * cols, 1);
    for (let i = 0; i < sparse.length; i++) if (rng.next() < 0.97) sparse[i] = 0;
    out.push({ kind: 'sparse 3% N(0,1)', rows, cols, data: Float32Array.from(sparse) });
  }
  // Real weights at one checkpoint (the metrics fixtures): what the kernels see in training.
  const dir = join(import.meta.dirname, '../tests/fixtures/reference/metrics');
  for (const file of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    const fx = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { matrices: { shape: number[]; base64: string }[] };
    const seen = new Set<string>();
    for (const m of fx.matrices) {
      const key = m.shape.join('x');
      const [rows, cols] = m.shape;
      if (seen.has(key) || Math.min(rows, cols) < 2 || (quick && rows * cols > 50000)) continue;
      seen.add(key);
      const bytes = Buffer.from(m.base64, 'base64');
      out.push({ kind: `trained (${file})`, rows, cols, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) });
    }
  }
  return out;
}

function compare(got: ArrayLike<number>, ref: Float64Array): { error: number; misclassified: number } {
  let error = 0;
  let misclassified = 0;
  for (let i = 0; i < ref.length; i++) {
    error = Math.max(error, Math.abs(got[i] - ref[i]) / ref[0]);
    if (got[i] >= SINGULAR_VALUE_FLOOR !== ref[i] >= SINGULAR_VALUE_FLOOR) misclassified++;
  }
  return { error, misclassified };
}

export async function svdAccuracyBench(): Promise<BenchResult> {
  const quick = process.env.BENCH_SVD_QUICK === '1';
  const rows: BenchResult['rows'] = [];
  for (const t of testMatrices(quick)) {
    const ref = singularValues(t.rows, t.cols, t.data);
    const { m, n, a } = tallColumnMajor(t.rows, t.cols, t.data);
    const shape = `${t.rows}×${t.cols}`;
    const row = (method: string, got: ArrayLike<number>, extra: Record<string, number | string> = {}) => {
      const { error, misclassified } = compare(got, ref);
      rows.push({ shape, matrix: t.kind, method, error_of_smax: Number(error.toPrecision(3)), misclassified, of: n, ...extra });
    };
    row('gram f32 + eig f64', gramFloat32(m, n, a));
    row('bidiag f32 + bisection f32', bidiagonalBisectionFloat32(m, n, a));
    const jacobi = jacobiFloat32(m, n, a, SWEEPS[SWEEPS.length - 1]);
    // The first sweep after which no pair needed a rotation (the converged sweep count), if any.
    const still = jacobi.rotations.findIndex((r) => r === 0);
    for (const s of SWEEPS) row(`jacobi f32, ${s} sweeps`, jacobi.sweeps[s - 1], { converged_after: still < 0 ? `>${SWEEPS.at(-1)}` : still + 1 });
    console.log(`svd-accuracy: ${shape} ${t.kind} done`);
  }
  return {
    benchmark: 'svd-accuracy-float32',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      'float32 emulated with Math.fround after every operation (sequential sums: a GPU tree sum is at least as accurate)',
      'reference: float64 Gram + QL (src/metrics/singularValues.ts), resolving values down to ~1e-8·σ_max',
      'jacobi: cyclic round-robin pairs, rotation skipped when |γ| ≤ 1.2e-7·sqrt(αβ); converged_after = first sweep with no rotation',
    ],
  };
}
