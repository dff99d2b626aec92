import { describe, expect, it } from 'vitest';
import { KERNEL_LIMITS, planMetrics, UnsupportedPlanError, type KernelParam } from '../../kernels/plan.ts';

const modadd: KernelParam[] = [
  { name: 'W_Q', role: 'matrix', shape: [4, 32, 128] },
  { name: 'W_O', role: 'matrix', shape: [128, 128] },
  { name: 'W_in', role: 'matrix', shape: [512, 128] },
  { name: 'b_in', role: 'bias', shape: [512] },
  { name: 'W_out', role: 'matrix', shape: [128, 512] },
  { name: 'b_out', role: 'bias', shape: [128] },
];

describe('planMetrics', () => {
  it('lays out each seed as its matrices (heads split, tall blocks) then its biases', () => {
    const plan = planMetrics(modadd, 3);
    expect(plan.matrices.map((m) => [m.rows, m.cols, m.m, m.n])).toEqual([
      ...Array.from({ length: 4 }, () => [32, 128, 128, 32]),
      [128, 128, 128, 128],
      [512, 128, 512, 128],
      [128, 512, 512, 128],
    ]);
    expect(plan.matrices.map((m) => m.offset)).toEqual([0, 4096, 8192, 12288, 16384, 32768, 98304]);
    expect(plan.weightCount).toBe(4 * 4096 + 16384 + 2 * 65536);
    expect(plan.biasCount).toBe(640);
    expect(plan.seedStride).toBe(plan.weightCount + 640);
    expect(plan.paramOffsets).toEqual([0, 16384, 32768, plan.weightCount, 98304, plan.weightCount + 512]);
    expect(plan.svPerSeed).toBe(4 * 32 + 3 * 128);
    expect(plan.matrices.map((m) => m.svOffset)).toEqual([0, 32, 64, 96, 128, 256, 384]);
    expect(planMetrics(modadd, 3).key).toBe(plan.key);
    expect(planMetrics(modadd, 4).key).not.toBe(plan.key);
  });

  it('throws on wiring bugs, as the CPU path does', () => {
    expect(() => planMetrics(modadd, 0)).toThrow('planMetrics: seeds must be a whole number ≥ 1, got 0');
    expect(() => planMetrics([{ name: 'b', role: 'bias', shape: [3] }], 1)).toThrow('no weight matrices given');
    expect(() => planMetrics([{ name: 'w', role: 'matrix', shape: [3, 3] }], 1)).toThrow('no bias vectors given');
    expect(() => planMetrics([{ name: 'w', role: 'matrix', shape: [3] }], 1)).toThrow(
      'matrix parameter w has shape [3]; expected [rows, cols] or [count, rows, cols]',
    );
    expect(() => planMetrics([{ name: 'w', role: 'matrix', shape: [2, 0] }], 1)).toThrow(
      'matrix parameter w has shape [2, 0]',
    );
    expect(() =>
      planMetrics(
        [
          { name: 'w', role: 'matrix', shape: [2, 2] },
          { name: 'b', role: 'bias', shape: [2, 2] },
        ],
        1,
      ),
    ).toThrow('bias parameter b has shape [2, 2]; expected [n] with n ≥ 1');
  });

  it('names the matrix the kernels cannot take', () => {
    const wide = () =>
      planMetrics([{ name: 'emb', role: 'matrix', shape: [KERNEL_LIMITS.longSide + 1, 8] }, modadd[3]], 1);
    expect(wide).toThrow(UnsupportedPlanError);
    expect(wide).toThrow(
      'matrix emb is 1025×8; the GPU kernels take at most 1024 on the long side and 256 on the short side',
    );
    expect(() => planMetrics([{ name: 'sq', role: 'matrix', shape: [257, 257] }, modadd[3]], 1)).toThrow(
      'matrix sq is 257×257',
    );
  });
});
