/**
 * `npm run bench -- svd-accuracy`: how accurately each candidate singular-value method works in float32
 * (emulated on the CPU, bench/svdFloat32.ts), on the shapes the metrics meet and on the matrices that
 * are hard for it: low rank, a graded spectrum through the 1e-5 threshold, sparse, and real trained
 * weights from the metrics fixtures. The error is max |σ − σ_ref| / σ_max against float64 one-sided
 * Jacobi, and
 * "misclassified" counts values on the wrong side of the 1e-5 floor (method.md §3). The WGSL kernel itself
 * runs on the same matrices through WebGPU (SwiftShader here; BENCH_SVD_GPU=0 skips it).
 * BENCH_SVD_QUICK=1 keeps to the small shapes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../src/numeric/rng.ts';
import { singularValues } from '../src/metrics/singularValues.ts';
import { SINGULAR_VALUE_FLOOR } from '../src/metrics/weightMetrics.ts';
import {
  bidiagonalBisectionFloat32,
  gramFloat32,
  jacobiFloat32,
  jacobiFloat64,
  tallColumnMajor,
} from './svdFloat32.ts';
import { metricsKernelsFor } from '../src/train/gpuMetrics.ts';
import { selectBackend, tf } from '../src/train/backend.ts';
import { prepareNodeWebGpu } from '../src/train/nodeWebgpu.ts';
import { planMetrics, type KernelParam } from '../kernels/plan.ts';
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
    out.push({
      kind: 'gaussian N(0,1/128)',
      rows,
      cols,
      data: Float32Array.from(gaussian(rng, rows * cols, 1 / Math.sqrt(128))),
    });
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
      out.push({
        kind: `trained (${file})`,
        rows,
        cols,
        data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
      });
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

/** The WGSL kernel itself on this machine's WebGPU: every test matrix in one run (S = 1). */
async function kernelSingularValues(matrices: TestMatrix[]): Promise<{ values: Float32Array[]; adapter: string }> {
  const choice = await selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu });
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const params: KernelParam[] = [
    ...matrices.map((t, i) => ({ name: `m${i}`, role: 'matrix' as const, shape: [t.rows, t.cols] })),
    { name: 'b', role: 'bias', shape: [1] },
  ];
  const buffers = [...matrices.map((t) => t.data), new Float32Array(1)].map((v) => {
    const b = device.createBuffer({ size: v.byteLength, usage: 0x80 | 0x8 });
    device.queue.writeBuffer(b, 0, v);
    return b;
  });
  const plan = planMetrics(params, 1);
  const r = await metricsKernelsFor(device).run(params, 1, buffers, { singularValues: true });
  for (const b of buffers) b.destroy();
  return {
    values: plan.matrices.map((m) => r.singularValues!.slice(m.svOffset, m.svOffset + m.n)),
    adapter: choice.adapter ?? 'unknown',
  };
}

export async function svdAccuracyBench(): Promise<BenchResult> {
  const quick = process.env.BENCH_SVD_QUICK === '1';
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  const matrices = testMatrices(quick);
  const kernel = process.env.BENCH_SVD_GPU === '0' ? null : await kernelSingularValues(matrices);
  if (kernel) notes.push(`"WGSL kernel": kernels/svd.wgsl on this machine's WebGPU adapter (${kernel.adapter})`);
  matrices.forEach((t, index) => {
    const { m, n, a } = tallColumnMajor(t.rows, t.cols, t.data);
    const ref = jacobiFloat64(m, n, a);
    const cell = (got: ArrayLike<number>, against = ref) => {
      const { error, misclassified } = compare(got, against);
      return `${error.toExponential(1)} / ${misclassified}`;
    };
    const jacobi = jacobiFloat32(m, n, a, SWEEPS[SWEEPS.length - 1]);
    // The first sweep after which no pair needed a rotation (the converged sweep count), if any.
    const still = jacobi.rotations.findIndex((r) => r === 0);
    let cpu: string;
    try {
      cpu = cell(singularValues(t.rows, t.cols, t.data));
    } catch (e) {
      cpu = `throws: ${e instanceof Error ? e.message : String(e)}`;
    }
    const row: BenchResult['rows'][number] = {
      shape: `${t.rows}×${t.cols}`,
      matrix: t.kind,
      'CPU path (f64 Gram + QL)': cpu,
      'gram f32 + eig f64': cell(gramFloat32(m, n, a)),
      'bidiag + bisection f32': cell(bidiagonalBisectionFloat32(m, n, a)),
    };
    // The kernel already sets values under the floor to 0: compare with the floored reference.
    if (kernel)
      row['WGSL kernel'] = cell(
        kernel.values[index],
        ref.map((x) => (x < SINGULAR_VALUE_FLOOR ? 0 : x)),
      );
    for (const s of SWEEPS) row[`jacobi ${s} sweeps`] = cell(jacobi.sweeps[s - 1]);
    row['jacobi converged after'] = still < 0 ? `>${SWEEPS.at(-1)}` : still + 1;
    rows.push(row);
    console.log(`svd-accuracy: ${t.rows}×${t.cols} ${t.kind} done`);
  });
  return {
    benchmark: 'svd-accuracy-float32',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      'each cell: max |σ − σ_ref| / σ_max over the matrix’s values / how many values fall on the wrong side of the 1e-5 floor (of min(m, n))',
      'float32 emulated with Math.fround after every operation (sequential sums: a GPU tree sum is at least as accurate)',
      'reference: float64 one-sided Jacobi to convergence; the CPU path (src/metrics/singularValues.ts: float64 Gram + QL) is scored against it too',
      'jacobi: cyclic round-robin pairs, rotation skipped when |γ| ≤ 1.2e-7·sqrt(αβ); converged after = first sweep with no rotation',
      ...notes,
    ],
  };
}
