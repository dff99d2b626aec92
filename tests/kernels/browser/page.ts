/**
 * Bundled into the headless-Chromium check (tests/kernels/browser.test.ts): runs the metric kernels on
 * the browser's own WebGPU and the CPU path on the same weights, and leaves both on window.__result.
 */
import { METRICS_PER_SEED, WeightMetricsKernels } from '../../../kernels/metricsKernels.ts';
import type { KernelParam } from '../../../kernels/plan.ts';
import { computeWeightMetrics, METRIC_NAMES } from '../../../src/metrics/index.ts';
import { createRng } from '../../../src/numeric/rng.ts';

export interface PageResult {
  adapter?: string;
  gpu?: number[][];
  cpu?: number[][];
  error?: string;
}

/** Small stand-ins of every orientation: heads (wide), a tall block, a vector and two bias vectors. */
const PARAMS: KernelParam[] = [
  { name: 'heads', role: 'matrix', shape: [2, 32, 128] },
  { name: 'tall', role: 'matrix', shape: [200, 40] },
  { name: 'b1', role: 'bias', shape: [40] },
  { name: 'row', role: 'matrix', shape: [1, 200] },
  { name: 'b2', role: 'bias', shape: [1] },
];
const SEEDS = 3;

async function main(): Promise<PageResult> {
  const gpu = navigator.gpu;
  if (!gpu) return { error: 'navigator.gpu is not available' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { error: 'no WebGPU adapter' };
  const device = await adapter.requestDevice();
  const rng = createRng(Number(new URLSearchParams(location.search).get('seed') ?? 1), 'browser-kernels');
  const size = (p: KernelParam) => p.shape.reduce((a, b) => a * b, 1);
  const values = PARAMS.map((p) => Float32Array.from({ length: SEEDS * size(p) }, () => 0.01 + 0.1 * rng.normal()));
  const buffers = values.map((v) => {
    const b = device.createBuffer({ size: v.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(b, 0, v);
    return b;
  });
  const r = await new WeightMetricsKernels(device).run(PARAMS, SEEDS, buffers);
  const cpu = Array.from({ length: SEEDS }, (_, s) => {
    const matrices: { rows: number; cols: number; data: Float32Array }[] = [];
    const biases: Float32Array[] = [];
    PARAMS.forEach((p, j) => {
      const mine = values[j].subarray(s * size(p), (s + 1) * size(p));
      if (p.role === 'bias') return void biases.push(mine);
      const [rows, cols] = p.shape.slice(-2);
      const count = p.shape.length === 3 ? p.shape[0] : 1;
      for (let h = 0; h < count; h++)
        matrices.push({ rows, cols, data: mine.subarray(h * rows * cols, (h + 1) * rows * cols) });
    });
    const m = computeWeightMetrics(matrices, biases);
    return METRIC_NAMES.map((k) => m[k]);
  });
  const info = adapter.info;
  return {
    adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' '),
    gpu: Array.from({ length: SEEDS }, (_, s) =>
      Array.from(r.metrics.subarray(s * METRICS_PER_SEED, (s + 1) * METRICS_PER_SEED)),
    ),
    cpu,
  };
}

const w = window as unknown as { __result?: PageResult };
main().then(
  (r) => (w.__result = r),
  (e: unknown) => (w.__result = { error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) }),
);
