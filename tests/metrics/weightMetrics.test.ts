import { describe, it, expect } from 'vitest';
import {
  METRIC_NAMES,
  computeWeightMetrics,
  lowerMedian,
  type MetricName,
  type WeightMatrix,
  type WeightMetrics,
} from '../../src/metrics/index.ts';
import { expectClose, readFixtureFolder } from '../helpers/fixtures.ts';

interface EncodedArray {
  shape: number[];
  dtype: string;
  base64: string;
}
interface MetricsFixture {
  description?: string;
  matrices: EncodedArray[];
  biases: EncodedArray[];
  expected: Record<string, number>;
}

/** Little-endian float32 via DataView: independent of host endianness and of Buffer's pool offset. */
function decode(a: EncodedArray, what: string): Float32Array {
  if (a.dtype !== 'float32') throw new Error(`${what}: unsupported dtype ${a.dtype}`);
  const bytes = Buffer.from(a.base64, 'base64');
  const count = a.shape.reduce((n, d) => n * d, 1);
  if (bytes.length !== count * 4)
    throw new Error(`${what}: shape ${a.shape} needs ${count * 4} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
}

const mat = (rows: number, cols: number, values: number[]): WeightMatrix => ({
  rows,
  cols,
  data: new Float64Array(values),
});
const bias = (...values: number[]) => new Float64Array(values);

function expectMetrics(
  actual: WeightMetrics,
  expected: Partial<Record<MetricName, number>>,
  rel = 1e-14,
  abs = 1e-15,
): void {
  for (const [k, v] of Object.entries(expected)) {
    if (Number.isNaN(v)) expect(actual[k as MetricName], k).toBeNaN();
    else expectClose(actual[k as MetricName], v, rel, abs, k);
  }
}

const fixtures = readFixtureFolder<MetricsFixture>('metrics');

describe('computeWeightMetrics against the numpy fixtures', () => {
  it('finds at least one fixture', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const { name, data } of fixtures) {
    it(`${name}: all 14 metrics within 1e-6 relative`, () => {
      expect(Object.keys(data.expected).sort()).toEqual([...METRIC_NAMES].sort());
      const matrices = data.matrices.map((m, i) => {
        expect(m.shape.length, `${name} matrix ${i} rank`).toBe(2);
        return { rows: m.shape[0], cols: m.shape[1], data: decode(m, `${name} matrix ${i}`) };
      });
      const biases = data.biases.map((b, i) => decode(b, `${name} bias ${i}`));
      const got = computeWeightMetrics(matrices, biases);
      for (const k of METRIC_NAMES) expectClose(got[k], data.expected[k], 1e-6, 0, `${name} ${k}`);
    });
  }
});

describe('computeWeightMetrics on hand-computed cases', () => {
  it('lists the 14 metrics in the order of method.md §3', () => {
    expect(METRIC_NAMES).toEqual([
      'l1',
      'l2',
      'l1_over_l2',
      'weight_mean',
      'weight_median',
      'weight_var',
      'bias_mean',
      'bias_median',
      'bias_var',
      'trace',
      'spectral',
      'trace_over_spectral',
      'sv_mean',
      'sv_var',
    ]);
  });

  it('3×3 identity', () => {
    const got = computeWeightMetrics([mat(3, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1])], [bias(1, 2, 3)]);
    // Weights: six 0s and three 1s; mean 1/3, Σ(x−m)² = 3·(2/3)² + 6·(1/3)² = 2, over n−1 = 8.
    expect(Object.keys(got)).toEqual([...METRIC_NAMES]);
    expectMetrics(got, {
      l1: 3,
      l2: Math.sqrt(3),
      l1_over_l2: Math.sqrt(3),
      weight_mean: 1 / 3,
      weight_median: 0,
      weight_var: 0.25,
      bias_mean: 2,
      bias_median: 2,
      bias_var: 1,
      trace: 3,
      spectral: 1,
      trace_over_spectral: 3,
      sv_mean: 1,
      sv_var: 0,
    });
  });

  it('diag(3, 4)', () => {
    const got = computeWeightMetrics([mat(2, 2, [3, 0, 0, 4])], [bias(4, 1, 3, 2)]);
    // Weights sorted [0, 0, 3, 4]: lower median is element 1 = 0; Σ(x − 1.75)² = 12.75, /3 = 4.25.
    // Biases sorted [1, 2, 3, 4]: the lower median is 2, not the midpoint 2.5.
    expectMetrics(got, {
      l1: 7,
      l2: 5,
      l1_over_l2: 1.4,
      weight_mean: 1.75,
      weight_median: 0,
      weight_var: 4.25,
      bias_mean: 2.5,
      bias_median: 2,
      bias_var: 5 / 3,
      trace: 7,
      spectral: 4,
      trace_over_spectral: 1.75,
      sv_mean: 3.5,
      sv_var: 0.5,
    });
  });

  it('takes per-matrix values as a mean over matrices, and weight statistics over all entries', () => {
    const got = computeWeightMetrics([mat(2, 2, [1, 0, 0, 1]), mat(2, 2, [3, 0, 0, 4])], [bias(0)]);
    expectMetrics(got, {
      l1: (2 + 7) / 2,
      l2: (Math.SQRT2 + 5) / 2,
      l1_over_l2: (Math.SQRT2 + 1.4) / 2,
      weight_mean: 9 / 8,
      weight_median: 0,
      trace: (2 + 7) / 2,
      spectral: (1 + 4) / 2,
      trace_over_spectral: (2 + 1.75) / 2,
      sv_mean: (1 + 3.5) / 2,
      sv_var: (0 + 0.5) / 2,
    });
  });

  it('uses min(m, n) diagonal entries for the trace of a non-square matrix', () => {
    const wide = computeWeightMetrics([mat(2, 3, [1, 9, 9, 9, 2, 9])], [bias(0, 1)]);
    const tall = computeWeightMetrics([mat(3, 2, [1, 9, 9, 2, 9, 9])], [bias(0, 1)]);
    expect(wide.trace).toBe(3);
    expect(tall.trace).toBe(3);
  });

  it('leaves a matrix with a single singular value out of sv_var only', () => {
    const row = mat(1, 2, [3, 4]); // σ = 5
    const got = computeWeightMetrics([row, mat(2, 2, [3, 0, 0, 4])], [bias(1, 2)]);
    expectMetrics(got, { spectral: (5 + 4) / 2, sv_mean: (5 + 3.5) / 2, sv_var: 0.5, trace: (3 + 7) / 2 });
    // With no matrix that has a variance, the mean over no matrices is undefined, as in numpy.
    expect(computeWeightMetrics([row, mat(3, 1, [1, 2, 2])], [bias(1, 2)]).sv_var).toBeNaN();
  });

  it('counts singular values below 1e-5 as 0, and still counts them', () => {
    expectMetrics(computeWeightMetrics([mat(2, 2, [1, 0, 0, 5e-6])], [bias(0, 1)]), { sv_mean: 0.5, sv_var: 0.5 });
    expectMetrics(computeWeightMetrics([mat(2, 2, [1, 0, 0, 2e-5])], [bias(0, 1)]), { sv_mean: 0.50001 });
  });

  it('gives exact zeros for the null space of a rank-1 matrix', () => {
    // u·vᵀ: σ₁ = ‖u‖·‖v‖ and four zeros, which the Gram route leaves at ~1e-8 before the 1e-5 floor.
    const u = [0.3, -1.2, 0.7, 2.1, -0.4];
    const v = [1.1, 0.2, -0.9, 0.5, 1.7, -0.3, 0.8, 0.05];
    const data = u.flatMap((a) => v.map((b) => a * b));
    const s1 = Math.hypot(...u) * Math.hypot(...v);
    const got = computeWeightMetrics([mat(5, 8, data)], [bias(0, 1)]);
    expectMetrics(got, { spectral: s1, sv_mean: s1 / 5, sv_var: (s1 * s1) / 5 }, 1e-13);
  });

  it('computes bias statistics over all bias vectors concatenated', () => {
    const got = computeWeightMetrics([mat(1, 1, [2])], [bias(5, 1), bias(3), bias(), bias(2, 4)]);
    expectMetrics(got, { bias_mean: 3, bias_median: 3, bias_var: 2.5 });
  });

  it('gives NaN variances for a single weight or a single bias entry, as numpy with ddof=1', () => {
    const got = computeWeightMetrics([mat(1, 1, [-2])], [bias(7)]);
    expectMetrics(got, {
      l1: 2,
      weight_mean: -2,
      weight_median: -2,
      weight_var: NaN,
      bias_mean: 7,
      bias_median: 7,
      bias_var: NaN,
    });
    expectMetrics(got, { spectral: 2, trace: -2, trace_over_spectral: -1, sv_mean: 2, sv_var: NaN });
  });

  it('gives NaN ratios for an all-zero matrix (0/0, as numpy)', () => {
    const got = computeWeightMetrics([mat(2, 3, [0, 0, 0, 0, 0, 0])], [bias(0, 0)]);
    expectMetrics(got, {
      l1: 0,
      l2: 0,
      l1_over_l2: NaN,
      spectral: 0,
      trace_over_spectral: NaN,
      sv_mean: 0,
      sv_var: 0,
      bias_var: 0,
    });
  });

  it('accepts float32 input and does not modify its arguments', () => {
    const w = new Float32Array([0.5, -0.25, 0.125, 2, 1, -3]);
    const b = new Float32Array([3, -1, 2]);
    const before = [Array.from(w), Array.from(b)];
    const got32 = computeWeightMetrics([{ rows: 2, cols: 3, data: w }], [b]);
    expect([Array.from(w), Array.from(b)]).toEqual(before);
    const got64 = computeWeightMetrics([{ rows: 2, cols: 3, data: Float64Array.from(w) }], [Float64Array.from(b)]);
    expect(got32).toEqual(got64);
  });
});

describe('computeWeightMetrics on diverged weights', () => {
  const good = mat(2, 2, [3, 0, 0, 4]);
  const clean = computeWeightMetrics([good], [bias(1, 2)]);

  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`reports NaN for what a ${bad} weight affects, without throwing`, () => {
      const got = computeWeightMetrics([good, mat(2, 2, [1, bad, 0, 1])], [bias(1, 2)]);
      for (const k of METRIC_NAMES) {
        if (k.startsWith('bias_')) expect(got[k], k).toBe(clean[k]);
        else expect(got[k], k).toBeNaN();
      }
    });
  }

  it('keeps sv_var when the only non-finite matrix has a single singular value', () => {
    const got = computeWeightMetrics([good, mat(1, 3, [1, NaN, 2])], [bias(1, 2)]);
    expect(got.sv_var).toBe(0.5);
    expect(got.spectral).toBeNaN();
  });

  it('reports NaN bias statistics for a non-finite bias and leaves the rest alone', () => {
    const got = computeWeightMetrics([good], [bias(1, 2), bias(NaN)]);
    for (const k of METRIC_NAMES) {
      if (k.startsWith('bias_')) expect(got[k], k).toBeNaN();
      else expect(got[k], k).toBe(clean[k]);
    }
  });
});

describe('computeWeightMetrics input errors', () => {
  const ok = mat(2, 2, [1, 2, 3, 4]);
  it('rejects an empty matrix list', () => {
    expect(() => computeWeightMetrics([], [bias(1)])).toThrow(/no weight matrices/);
  });
  it('rejects data that does not match the shape', () => {
    expect(() => computeWeightMetrics([ok, mat(2, 3, [1, 2, 3, 4, 5])], [bias(1)])).toThrow(
      /matrix 1 is 2×3 = 6 values but its data has 5/,
    );
  });
  it('rejects empty or non-integer shapes', () => {
    expect(() => computeWeightMetrics([mat(0, 3, [])], [bias(1)])).toThrow(/matrix 0 has shape 0×3/);
    expect(() => computeWeightMetrics([{ rows: 1.5, cols: 2, data: new Float64Array(3) }], [bias(1)])).toThrow(
      /positive integers/,
    );
  });
  it('rejects a missing bias list and bias vectors without entries', () => {
    expect(() => computeWeightMetrics([ok], [])).toThrow(/no bias vectors/);
    expect(() => computeWeightMetrics([ok], [bias(), bias()])).toThrow(/have no entries/);
  });
});

describe('lowerMedian', () => {
  const reference = (a: number[]) => [...a].sort((x, y) => x - y)[(a.length - 1) >> 1];
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;

  it('matches a full sort on random data with and without duplicates', () => {
    for (const n of [1, 2, 3, 4, 5, 10, 11, 64, 101, 1000, 10001]) {
      const distinct = Array.from({ length: n }, () => rand() - 0.5);
      const dupes = Array.from({ length: n }, () => Math.floor(rand() * 5));
      expect(lowerMedian(distinct), `distinct n=${n}`).toBe(reference(distinct));
      expect(lowerMedian(dupes), `dupes n=${n}`).toBe(reference(dupes));
    }
  });

  it('handles ordered, constant and organ-pipe inputs that defeat naive pivots', () => {
    const n = 20000;
    const cases = {
      ascending: Array.from({ length: n }, (_, i) => i),
      descending: Array.from({ length: n }, (_, i) => n - i),
      constant: new Array(n).fill(0),
      organPipe: Array.from({ length: n }, (_, i) => Math.min(i, n - i)),
      sawtooth: Array.from({ length: n }, (_, i) => i % 7),
    };
    for (const [name, a] of Object.entries(cases)) expect(lowerMedian(a), name).toBe(reference(a));
  });

  it('returns NaN for NaN input, throws on none, and leaves its input alone', () => {
    expect(lowerMedian([1, NaN, 2])).toBeNaN();
    expect(() => lowerMedian([])).toThrow(/no values/);
    const a = new Float64Array([5, 1, 4, 2, 3]);
    expect(lowerMedian(a)).toBe(3);
    expect(Array.from(a)).toEqual([5, 1, 4, 2, 3]);
  });
});
