import { describe, expect, it, vi } from 'vitest';
import { newCheckpoints } from '../../src/io/runBundle.ts';
import {
  carrySingularValues,
  computeWeightMetrics,
  METRIC_NAMES,
  SINGULAR_VALUE_METRICS,
  singularValues,
  singularValuesDue,
  type WeightMatrix,
} from '../../src/metrics/index.ts';
import { createRng } from '../../src/numeric/rng.ts';

// Counts the SVDs computeWeightMetrics asks for (the module's own function, wrapped).
vi.mock('../../src/metrics/singularValues.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/metrics/singularValues.ts')>();
  return { ...original, singularValues: vi.fn(original.singularValues) };
});

const OTHER_METRICS = METRIC_NAMES.filter((m) => !(SINGULAR_VALUE_METRICS as readonly string[]).includes(m));

describe('singularValuesDue', () => {
  it('is due at ordinals 0, k, 2k, … and only there', () => {
    expect(Array.from({ length: 10 }, (_, n) => singularValuesDue(n, 3))).toEqual([
      true,
      false,
      false,
      true,
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
    expect(Array.from({ length: 5 }, (_, n) => singularValuesDue(n, 1))).toEqual([true, true, true, true, true]);
    expect(singularValuesDue(0, 1_000_000)).toBe(true);
    expect(singularValuesDue(999_999, 1_000_000)).toBe(false);
  });

  it('refuses a setting that is not a whole number ≥ 1 and an ordinal that is not one ≥ 0', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity])
      expect(() => singularValuesDue(0, bad)).toThrow(`singular-value interval must be a whole number ≥ 1, got ${bad}`);
    expect(() => singularValuesDue(-1, 2)).toThrow('a checkpoint ordinal is a whole number ≥ 0, got -1');
    expect(() => singularValuesDue(0.5, 2)).toThrow('got 0.5');
  });

  it('names exactly the four metrics that come from singular values', () => {
    expect([...SINGULAR_VALUE_METRICS]).toEqual(['spectral', 'trace_over_spectral', 'sv_mean', 'sv_var']);
    expect(SINGULAR_VALUE_METRICS.every((m) => (METRIC_NAMES as readonly string[]).includes(m))).toBe(true);
  });
});

describe('carrySingularValues', () => {
  const run = () => ({
    step: [10, 20, 30, 40, 50, 60, 70],
    l1: [1, 2, 3, 4, 5, 6, 7],
    spectral: [100, 101, 102, 103, 104, 105, 106],
    trace_over_spectral: [0.5, 0.6, NaN, 0.8, 0.9, 1.0, 1.1],
    sv_mean: [7, 6, 5, 4, 3, 2, 1],
    sv_var: [NaN, 1, 2, 3, 4, 5, 6],
  });

  it('repeats the four columns of the last due row in the rows between, and leaves every other column alone', () => {
    const input = run();
    const out = carrySingularValues(input, 3);
    expect(out).toEqual({
      step: [10, 20, 30, 40, 50, 60, 70],
      l1: [1, 2, 3, 4, 5, 6, 7],
      spectral: [100, 100, 100, 103, 103, 103, 106],
      trace_over_spectral: [0.5, 0.5, 0.5, 0.8, 0.8, 0.8, 1.1],
      sv_mean: [7, 7, 7, 4, 4, 4, 1],
      // A NaN at a due row is repeated like any value.
      sv_var: [NaN, NaN, NaN, 3, 3, 3, 6],
    });
    expect(input, 'the input is not modified').toEqual(run());
    expect(out.spectral).not.toBe(input.spectral);
    expect(out.l1, 'every column is a copy').not.toBe(input.l1);
  });

  it('is the identity for k = 1, repeats row 0 for k beyond the run, and keeps runs lacking some of the four', () => {
    expect(carrySingularValues(run(), 1)).toEqual(run());
    expect(carrySingularValues(run(), 100).spectral).toEqual(new Array(7).fill(100));
    expect(carrySingularValues({ step: [1, 2, 3], spectral: [5, 6, 7] }, 2)).toEqual({
      step: [1, 2, 3],
      spectral: [5, 5, 7],
    });
    expect(carrySingularValues({ step: [], spectral: [] }, 2)).toEqual({ step: [], spectral: [] });
  });

  it('keeps prototype-free checkpoints prototype-free and refuses a bad setting', () => {
    const cp = newCheckpoints();
    cp.step = [1, 2];
    cp.sv_mean = [3, 4];
    const out = carrySingularValues(cp, 2);
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(out.sv_mean).toEqual([3, 3]);
    expect(() => carrySingularValues(run(), 0)).toThrow('singular-value interval must be a whole number ≥ 1, got 0');
  });
});

describe('computeWeightMetrics({ singularValues: false })', () => {
  const rng = createRng(7, 'sv-skip');
  const random = (rows: number, cols: number): WeightMatrix => ({
    rows,
    cols,
    data: Float64Array.from({ length: rows * cols }, () => rng.normal()),
  });
  const matrices = [random(12, 5), random(5, 12), random(1, 9), random(8, 8)];
  const biases = [Float64Array.from({ length: 6 }, () => rng.normal())];

  it('skips every SVD, gives NaN for the four and exactly the full values for the other ten', () => {
    const svd = vi.mocked(singularValues);
    svd.mockClear();
    const full = computeWeightMetrics(matrices, biases);
    expect(svd).toHaveBeenCalledTimes(matrices.length);
    svd.mockClear();
    const skipped = computeWeightMetrics(matrices, biases, { singularValues: false });
    expect(svd).not.toHaveBeenCalled();
    for (const m of SINGULAR_VALUE_METRICS) {
      expect(skipped[m], m).toBeNaN();
      expect(Number.isFinite(full[m]), m).toBe(true);
    }
    for (const m of OTHER_METRICS) expect(skipped[m], m).toBe(full[m]);
    expect(computeWeightMetrics(matrices, biases, { singularValues: true })).toEqual(full);
  });

  it('non-finite weights: the other ten are NaN where a full call makes them NaN, and only there', () => {
    const bad = matrices.map((w) => ({ ...w, data: w.data.slice() }));
    bad[1].data[3] = Infinity;
    const full = computeWeightMetrics(bad, biases);
    const skipped = computeWeightMetrics(bad, biases, { singularValues: false });
    for (const m of OTHER_METRICS) expect(skipped[m], m).toBe(full[m]);
    for (const m of SINGULAR_VALUE_METRICS) expect(skipped[m], m).toBeNaN();
    expect(skipped.bias_mean).toBe(full.bias_mean);
    expect(Number.isFinite(skipped.bias_mean)).toBe(true);
  });
});
