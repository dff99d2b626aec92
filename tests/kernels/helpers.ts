/** Shared by the kernel tests: buffers, the float64 references and the comparisons. */
import { expect } from 'vitest';
import type { KernelParam } from '../../kernels/plan.ts';
import {
  computeWeightMetrics,
  METRIC_NAMES,
  singularValues,
  SINGULAR_VALUE_FLOOR,
  type WeightMatrix,
  type WeightMetrics,
} from '../../src/metrics/index.ts';

export function uploadBuffer(device: GPUDevice, values: Float32Array): GPUBuffer {
  const b = device.createBuffer({ size: Math.max(4, values.byteLength), usage: 0x80 | 0x8 | 0x4 });
  device.queue.writeBuffer(b, 0, values);
  return b;
}

export const sizeOf = (p: KernelParam) => p.shape.reduce((a, b) => a * b, 1);

/** One seed's matrices (heads split) and biases, as the CPU path takes them. */
export function seedInputs(
  params: readonly KernelParam[],
  values: readonly Float32Array[],
  s: number,
): { matrices: WeightMatrix[]; biases: Float32Array[] } {
  const matrices: WeightMatrix[] = [];
  const biases: Float32Array[] = [];
  params.forEach((p, j) => {
    const n = sizeOf(p);
    const mine = values[j].subarray(s * n, (s + 1) * n);
    if (p.role === 'bias') return void biases.push(mine);
    const [rows, cols] = p.shape.slice(-2);
    const count = p.shape.length === 3 ? p.shape[0] : 1;
    for (let h = 0; h < count; h++)
      matrices.push({ rows, cols, data: mine.subarray(h * rows * cols, (h + 1) * rows * cols) });
  });
  return { matrices, biases };
}

/** Within 1e-4 relative of the float64 reference, 1e-6 absolute near zero; NaN and ±∞ must match exactly. */
export function expectMetric(got: number, ref: number, what: string): void {
  if (Number.isNaN(ref)) return void expect(got, `${what}: expected NaN`).toBeNaN();
  if (!Number.isFinite(ref)) return void expect(got, `${what}: expected ${ref}`).toBe(ref);
  const tol = 1e-4 * Math.abs(ref) + 1e-6;
  expect(Math.abs(got - ref), `${what}: got ${got}, float64 reference ${ref}`).toBeLessThanOrEqual(tol);
}

export function expectMetrics(
  got: Float32Array,
  s: number,
  ref: WeightMetrics | Record<string, number>,
  what: string,
): void {
  METRIC_NAMES.forEach((m, i) => expectMetric(got[s * METRIC_NAMES.length + i], ref[m], `${what} ${m}`));
}

/** Every matrix's values within 1e-4 of its largest (float64 reference, floored at 1e-5 like method.md §3). */
export function expectSingularValues(
  got: Float32Array,
  matrices: readonly WeightMatrix[],
  offsets: readonly number[],
  what: string,
): void {
  matrices.forEach((m, k) => {
    const ref = singularValues(m.rows, m.cols, m.data).map((x) => (x < SINGULAR_VALUE_FLOOR ? 0 : x));
    const tol = 1e-4 * ref[0] + 1e-12;
    for (let i = 0; i < ref.length; i++) {
      const g = got[offsets[k] + i];
      if (Number.isNaN(ref[i])) expect(g, `${what} matrix ${k} value ${i}`).toBeNaN();
      else
        expect(
          Math.abs(g - ref[i]),
          `${what} matrix ${k} (${m.rows}×${m.cols}) value ${i}: got ${g}, reference ${ref[i]}`,
        ).toBeLessThanOrEqual(tol);
    }
  });
}

export function referenceMetrics(
  params: readonly KernelParam[],
  values: readonly Float32Array[],
  s: number,
): WeightMetrics {
  const { matrices, biases } = seedInputs(params, values, s);
  return computeWeightMetrics(matrices, biases);
}
