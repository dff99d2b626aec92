import { describe, expect, it } from 'vitest';
import { zScoreRun } from '../../src/analysis/index.ts';

describe('per-run z-scoring (SPEC §4)', () => {
  it('uses the mean and std (divide by n) of the first ≤1000 checkpoints', () => {
    const values = Array.from({ length: 1500 }, (_, t) => [t < 1000 ? t % 2 : 100]);
    const { z, mean, std } = zScoreRun(values);
    expect(mean[0]).toBe(0.5);
    expect(std[0]).toBe(0.5);
    expect(z[0][0]).toBe(-1);
    expect(z[1][0]).toBe(1);
    expect(z[1200][0]).toBe(199);
  });

  it('a feature constant within the run becomes 0, never NaN', () => {
    const { z, constant } = zScoreRun([
      [3, 1],
      [3, 2],
      [3, 4],
    ]);
    expect(constant).toEqual([true, false]);
    expect(z.map((r) => r[0])).toEqual([0, 0, 0]);
  });

  it("flat over the window but not the run: the whole run's std, so nothing becomes infinite", () => {
    const values = Array.from({ length: 1100 }, (_, t) => [t < 1000 ? 5 : 6]);
    const { z, constant } = zScoreRun(values);
    expect(constant).toEqual([false]);
    expect(z.every((r) => Number.isFinite(r[0]))).toBe(true);
    expect(z[1050][0]).toBeGreaterThan(z[0][0]);
  });
});
