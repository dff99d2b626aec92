/**
 * The layout the metric kernels work on, derived from the parameter shapes and the seed count alone.
 *
 * Every seed gets one contiguous block of `work`: its matrices first (each as a tall column-major
 * m×n block, m ≥ n, see kernels/pack.wgsl), then its biases. So the weights of a seed are one
 * contiguous segment (for the median) and every matrix is one workgroup's block for the SVD.
 */

/** One parameter as the trainer holds it: [S, ...shape] float32, seed-major. */
export interface KernelParam {
  name: string;
  role: 'matrix' | 'bias';
  /** Per-seed shape: [rows, cols] or [count, rows, cols] for matrices (count = attention heads); [n] for biases. */
  shape: readonly number[];
}

export interface MatrixSlot {
  param: number;
  head: number;
  rows: number;
  cols: number;
  /** Tall block: m = max(rows, cols) rows, n = min(rows, cols) columns, column-major. */
  m: number;
  n: number;
  /** Element offset inside a seed's block. */
  offset: number;
  /** Offset of its n singular values inside a seed's run of singular values. */
  svOffset: number;
}

export interface MetricsPlan {
  key: string;
  seeds: number;
  params: readonly KernelParam[];
  /** Where each parameter starts inside a seed's block. */
  paramOffsets: number[];
  matrices: MatrixSlot[];
  weightCount: number;
  biasCount: number;
  seedStride: number;
  svPerSeed: number;
}

/** What one workgroup can hold (kernels/svd.wgsl: MAX_M, MAX_N). */
export const KERNEL_LIMITS = { longSide: 1024, shortSide: 256 } as const;

/** The kernels cannot take this model; the caller falls back to the CPU path with `message` as reason. */
export class UnsupportedPlanError extends Error {}

const isSide = (x: number) => Number.isInteger(x) && x >= 1;

/**
 * Throws a plain Error for wiring bugs (the CPU path throws for them too: no matrices, no biases, bad
 * shapes) and UnsupportedPlanError for models the kernels do not handle.
 */
export function planMetrics(params: readonly KernelParam[], seeds: number): MetricsPlan {
  if (!(Number.isInteger(seeds) && seeds >= 1))
    throw new Error(`planMetrics: seeds must be a whole number ≥ 1, got ${seeds}`);
  const matrices: MatrixSlot[] = [];
  const paramOffsets: number[] = [];
  let offset = 0;
  let svOffset = 0;
  params.forEach((p, i) => {
    if (p.role !== 'matrix') return;
    if (!((p.shape.length === 2 || p.shape.length === 3) && p.shape.every(isSide))) {
      throw new Error(
        `planMetrics: matrix parameter ${p.name} has shape [${p.shape.join(', ')}]; expected [rows, cols] or [count, rows, cols] of positive integers`,
      );
    }
    const [rows, cols] = p.shape.slice(-2);
    const count = p.shape.length === 3 ? p.shape[0] : 1;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    if (m > KERNEL_LIMITS.longSide || n > KERNEL_LIMITS.shortSide) {
      throw new UnsupportedPlanError(
        `matrix ${p.name} is ${rows}×${cols}; the GPU kernels take at most ${KERNEL_LIMITS.longSide} on the long side and ${KERNEL_LIMITS.shortSide} on the short side`,
      );
    }
    paramOffsets[i] = offset;
    for (let h = 0; h < count; h++) {
      matrices.push({ param: i, head: h, rows, cols, m, n, offset, svOffset });
      offset += rows * cols;
      svOffset += n;
    }
  });
  if (matrices.length === 0) throw new Error('planMetrics: no weight matrices given; at least one is required');
  const weightCount = offset;
  params.forEach((p, i) => {
    if (p.role !== 'bias') return;
    if (!(p.shape.length === 1 && isSide(p.shape[0])))
      throw new Error(
        `planMetrics: bias parameter ${p.name} has shape [${p.shape.join(', ')}]; expected [n] with n ≥ 1`,
      );
    paramOffsets[i] = offset;
    offset += p.shape[0];
  });
  const biasCount = offset - weightCount;
  if (biasCount === 0)
    throw new Error('planMetrics: no bias vectors given; bias_mean/median/var need at least one bias entry');
  if (seeds * offset >= 2 ** 32 / 4)
    throw new UnsupportedPlanError(`${seeds} seeds × ${offset} values exceed the kernels' 32-bit byte offsets`);

  const key = `${seeds}|${params.map((p) => `${p.name}:${p.role}:${p.shape.join('x')}`).join(',')}`;
  return {
    key,
    seeds,
    params,
    paramOffsets,
    matrices,
    weightCount,
    biasCount,
    seedStride: offset,
    svPerSeed: svOffset,
  };
}
