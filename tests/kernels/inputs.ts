/**
 * What the kernel tests feed the kernels: the numpy fixtures' matrices, the shape classes and kinds of random
 * matrices the two tasks meet, and kernels that leave chosen dispatches out (an output nothing writes reads NaN).
 */
import { WeightMetricsKernels } from '../../kernels/metricsKernels.ts';
import type { KernelParam } from '../../kernels/plan.ts';
import type { Rng } from '../../src/numeric/rng.ts';

interface Blob {
  shape: number[];
  dtype: string;
  base64: string;
}
export interface MetricsFixture {
  matrices: Blob[];
  biases: Blob[];
  expected: Record<string, number>;
}

export const decode = (b: Blob) => {
  const bytes = Buffer.from(b.base64, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
};

/**
 * Every shape class the two tasks meet (attention heads, W_O, W_in, W_out, W1, W2), in two models so that
 * SwiftShader's slow 512-long blocks run for fewer kinds.
 */
export const SMALL_SHAPES: KernelParam[] = [
  { name: 'heads', role: 'matrix', shape: [2, 32, 128] },
  { name: 'square', role: 'matrix', shape: [128, 128] },
  { name: 'bias_a', role: 'bias', shape: [128] },
  { name: 'parity_in', role: 'matrix', shape: [1000, 40] },
  { name: 'parity_out', role: 'matrix', shape: [1, 1000] },
  { name: 'bias_b', role: 'bias', shape: [1] },
];
export const LARGE_SHAPES: KernelParam[] = [
  { name: 'tall', role: 'matrix', shape: [512, 128] },
  { name: 'bias', role: 'bias', shape: [512] },
  { name: 'wide', role: 'matrix', shape: [128, 512] },
];

export type Kind = (rng: Rng, rows: number, cols: number, out: Float32Array) => void;

const gaussianKind =
  (sd: number, offset = 0): Kind =>
  (rng, _r, _c, out) => {
    for (let i = 0; i < out.length; i++) out[i] = offset + sd * rng.normal();
  };

export const KINDS: Record<string, Kind> = {
  'gaussian N(0.01, 1/128)': gaussianKind(1 / Math.sqrt(128), 0.01),
  // Rank ⌈n/4⌉: many exact zeros among the singular values, resolved to float32 rounding.
  'rank-deficient': (rng, rows, cols, out) => {
    const r = Math.max(1, Math.ceil(Math.min(rows, cols) / 4));
    const u = Float64Array.from({ length: rows * r }, () => rng.normal());
    const v = Float64Array.from({ length: r * cols }, () => rng.normal());
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let x = 0;
        for (let k = 0; k < r; k++) x += u[i * r + k] * v[k * cols + j];
        out[i * cols + j] = x / Math.sqrt(r * cols);
      }
    }
  },
  'sparse (3% nonzero)': (rng, _r, _c, out) => {
    for (let i = 0; i < out.length; i++) out[i] = rng.next() < 0.03 ? rng.normal() : 0;
  },
  'tiny (sd 1e-4)': gaussianKind(1e-4, 2e-5),
  'huge (sd 1e4)': gaussianKind(1e4, 3e3),
  // Every singular value under the 1e-5 floor: spectral 0, trace/spectral ±∞ as on the CPU.
  'below the floor (sd 1e-8)': gaussianKind(1e-8, 1e-9),
};

/** Records every kernel dispatch, and leaves out those `leave` picks (an output nothing writes must read NaN). */
export class KernelsLeavingOut extends WeightMetricsKernels {
  readonly dispatched: string[] = [];
  readonly left: string[] = [];
  constructor(
    device: GPUDevice,
    private readonly leave: (pipeline: string) => boolean,
  ) {
    super(device);
  }
  protected override dispatch(
    p: GPUComputePassEncoder,
    pipeline: string,
    group: GPUBindGroup,
    grid: [number, number],
  ): void {
    if (this.leave(pipeline)) this.left.push(pipeline);
    else {
      this.dispatched.push(pipeline);
      super.dispatch(p, pipeline, group, grid);
    }
  }
}
