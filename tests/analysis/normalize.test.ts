import { describe, expect, it } from 'vitest';
import { zScoreRun } from '../../src/analysis/index.ts';
import { NormalizationError } from '../../src/analysis/normalize.ts';
import { createRng } from '../../src/numeric/index.ts';

describe('per-run z-scoring (method.md §4)', () => {
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

/** The textbook computation, for comparison on ordinary data. */
function naive(values: number[][]): number[][] {
  const n = values.length;
  const d = values[0].length;
  const mean = Array.from({ length: d }, (_, j) => values.reduce((s, r) => s + r[j], 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(values.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n));
  return values.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
}

describe('z-scoring at the ends of the double range', () => {
  const rng = createRng(3, 'normalize');
  const base = Array.from({ length: 300 }, () => [rng.normal(), 5 + rng.normal() * 0.01, rng.next() * 100]);

  it('ordinary data: exactly the textbook numbers (the scaling is by powers of two)', () => {
    expect(zScoreRun(base).z).toEqual(naive(base));
  });

  it('values near 1e300 and near 1e-300 give the same z-scores as ordinary ones, never zeros or NaN', () => {
    for (const factor of [2 ** 997, 1e300, 1.7e308 / 200, 2 ** -1000, 1e-300]) {
      const scaled = base.map((r) => r.map((v) => v * factor));
      const { z, mean, std, constant } = zScoreRun(scaled);
      expect(constant).toEqual([false, false, false]);
      expect(z.flat().every(Number.isFinite)).toBe(true);
      expect(mean.every(Number.isFinite) && std.every(Number.isFinite)).toBe(true);
      const ref = zScoreRun(base).z;
      z.forEach((row, t) => row.forEach((x, j) => expect(Math.abs(x - ref[t][j])).toBeLessThan(1e-9)));
      if (factor === 2 ** 997) expect(z).toEqual(ref);
    }
    // The largest finite magnitudes on both sides: (v − mean)² alone would overflow.
    const extreme = zScoreRun([[Number.MAX_VALUE], [-Number.MAX_VALUE], [0]]);
    extreme.z.forEach((r, t) => expect(r[0]).toBeCloseTo([Math.sqrt(1.5), -Math.sqrt(1.5), 0][t], 12));
  });

  it('refuses non-finite values, naming the feature (the analysis excludes such runs before)', () => {
    expect(() =>
      zScoreRun([
        [1, 2],
        [Infinity, 3],
      ]),
    ).toThrow(NormalizationError);
    expect(() =>
      zScoreRun([
        [1, 2],
        [Infinity, 3],
      ]),
    ).toThrow(/feature 0: value Infinity at checkpoint 1/);
  });
});
