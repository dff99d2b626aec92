/**
 * singularValues and symmetricEigenvalues against ml-matrix (Golub–Kahan SVD, symmetric EVD): an
 * independent implementation, so agreement is evidence rather than a restatement of our own code.
 */
import { EigenvalueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { singularValues, symmetricEigenvalues } from '../../src/metrics/singularValues.ts';
import { SINGULAR_VALUE_FLOOR } from '../../src/metrics/weightMetrics.ts';
import { gaussianMatrix, referenceSingularValues, toMatrix, withSingularValues } from '../helpers/oracle.ts';

const EPS = Number.EPSILON;

/**
 * The Gram-matrix method (see singularValues.ts) resolves σ_i to about n·eps·σ_max²/σ_i, never worse
 * than sqrt(n·eps)·σ_max; ml-matrix's SVD is accurate to a few eps·σ_max. The tolerance is their sum,
 * plus 1e-12 relative for the large values.
 */
function expectAgreement(
  rows: number,
  cols: number,
  data: ArrayLike<number>,
  what: string,
): { ours: Float64Array; ref: number[] } {
  const ours = singularValues(rows, cols, data);
  const ref = referenceSingularValues(rows, cols, data);
  const n = Math.min(rows, cols);
  expect(ours.length, `${what}: count`).toBe(n);
  expect(ref.length).toBe(n);
  const smax = ref[0];
  for (let i = 0; i < n; i++) {
    const gram =
      ref[i] > 0 ? Math.min((n * EPS * smax * smax) / ref[i], Math.sqrt(n * EPS) * smax) : Math.sqrt(n * EPS) * smax;
    const tol = 1e-12 * ref[i] + gram + 16 * EPS * smax;
    const err = Math.abs(ours[i] - ref[i]);
    if (!(err <= tol))
      throw new Error(`${what}: σ${i} = ${ours[i]}, ml-matrix ${ref[i]} (|diff| ${err} > tol ${tol}, σ_max ${smax})`);
  }
  return { ours, ref };
}

/** Multiplies two row-major matrices, (m×k)(k×n). */
function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * k + p] * b[p * n + j];
  return c;
}

const aboveFloor = (xs: ArrayLike<number>) => Array.from(xs).filter((x) => x >= SINGULAR_VALUE_FLOOR).length;
const logSpaced = (n: number, hi: number, lo: number) =>
  Array.from({ length: n }, (_, i) => 10 ** (hi - ((hi - lo) * i) / Math.max(n - 1, 1)));

describe('singularValues agrees with ml-matrix', () => {
  const shapes: [number, number][] = [
    [32, 128],
    [128, 128],
    [512, 128],
    [128, 512],
    [1000, 40],
    [1, 1000],
    [40, 1000],
    [1000, 1],
  ];
  for (const [rows, cols] of shapes) {
    it(`random Gaussian ${rows}×${cols} (the scale of an initialized layer)`, () => {
      expectAgreement(
        rows,
        cols,
        gaussianMatrix(rows, cols, rows * 1009 + cols, 1 / Math.sqrt(cols)),
        `${rows}×${cols}`,
      );
    });
  }

  for (const [rows, cols, rank] of [
    [128, 128, 5],
    [512, 128, 7],
    [40, 1000, 3],
    [128, 512, 1],
  ] as const) {
    it(`rank ${rank} ${rows}×${cols} (product of thin factors): ${rank} values above the 1e-5 floor, the rest numerically zero`, () => {
      const a = matmul(
        gaussianMatrix(rows, rank, rows + rank),
        gaussianMatrix(rank, cols, cols + rank, 1 / Math.sqrt(cols)),
        rows,
        rank,
        cols,
      );
      const { ours, ref } = expectAgreement(rows, cols, a, `rank ${rank}`);
      expect(aboveFloor(ours)).toBe(rank);
      expect(aboveFloor(ref)).toBe(rank);
    });
  }

  for (const [rows, cols] of [
    [128, 128],
    [32, 128],
    [200, 60],
  ]) {
    it(`ill-conditioned ${rows}×${cols}: prescribed singular values from 1e3 down to 1e-8`, () => {
      const s = logSpaced(Math.min(rows, cols), 3, -8);
      const { ref } = expectAgreement(rows, cols, withSingularValues(rows, cols, s, rows + cols), 'ill-conditioned');
      // The oracle itself recovers the prescribed spectrum, small values included.
      ref.forEach((x, i) => expect(Math.abs(x - s[i])).toBeLessThan(1e-12 * s[0] + 1e-6 * s[i]));
    });
  }

  it('σ_max = 100, values on both sides of the 1e-5 floor: the same ones count as nonzero as in ml-matrix', () => {
    // Kept clear of the floor by a factor of 3: our absolute error at this σ_max is ~1e-7 (measured), so only
    // values within that of 1e-5 could land on the other side. At σ_max = 1e3 the error reaches ~4e-6.
    const n = 96;
    const s = logSpaced(n, 2, -9).filter((x) => x > 3 * SINGULAR_VALUE_FLOOR || x < SINGULAR_VALUE_FLOOR / 3);
    const { ours, ref } = expectAgreement(n, n + 30, withSingularValues(n, n + 30, s, 7), 'floor');
    expect(aboveFloor(ours)).toBe(aboveFloor(s));
    expect(aboveFloor(ref)).toBe(aboveFloor(s));
    expect(aboveFloor(s)).toBeGreaterThan(30);
    expect(aboveFloor(s)).toBeLessThan(s.length);
  });

  for (const [scale, label] of [
    [1e-20, 'tiny (1e-20 scale)'],
    [1e20, 'huge (1e20 scale)'],
  ] as const) {
    it(`${label}: the same relative agreement, no under- or overflow`, () => {
      for (const [rows, cols] of [
        [64, 100],
        [128, 128],
        [300, 20],
      ]) {
        const { ours } = expectAgreement(
          rows,
          cols,
          gaussianMatrix(rows, cols, rows - cols, scale),
          `${label} ${rows}×${cols}`,
        );
        expect(ours[ours.length - 1]).toBeGreaterThan(0);
        expect(ours[0] / scale).toBeGreaterThan(1);
        expect(ours[0] / scale).toBeLessThan(100);
      }
    });
  }

  it('an ill-conditioned matrix scaled by 2^-66 (≈1.4e-20) or 2^66 (≈7.4e19): exactly the scaled spectrum', () => {
    // A power of two scales every float64 operation exactly, so any difference would be under- or overflow.
    const n = 64;
    const a = withSingularValues(n, n, logSpaced(n, 0, -6), 3);
    const base = Array.from(singularValues(n, n, a));
    for (const e of [-66, 66]) {
      const scaled = a.map((x) => x * 2 ** e);
      expect(Array.from(singularValues(n, n, scaled), (x) => x * 2 ** -e)).toEqual(base);
      expectAgreement(n, n, scaled, `scaled by 2^${e}`);
    }
  });

  it('zero matrices give exact zeros, as ml-matrix does', () => {
    for (const [rows, cols] of [
      [20, 30],
      [128, 128],
      [1, 7],
      [9, 1],
    ]) {
      const z = new Float64Array(rows * cols);
      expect(Array.from(singularValues(rows, cols, z))).toEqual(new Array(Math.min(rows, cols)).fill(0));
      expect(referenceSingularValues(rows, cols, z)).toEqual(new Array(Math.min(rows, cols)).fill(0));
    }
  });
});

describe('symmetricEigenvalues agrees with ml-matrix', () => {
  for (const n of [2, 7, 40, 128]) {
    it(`random symmetric ${n}×${n} with eigenvalues of both signs`, () => {
      const g = gaussianMatrix(n, n, n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g[i * n + j] + g[j * n + i];
      const ours = symmetricEigenvalues(n, a);
      const ref = new EigenvalueDecomposition(toMatrix(n, n, a), { assumeSymmetric: true }).realEigenvalues.sort(
        (x, y) => y - x,
      );
      const scale = Math.max(Math.abs(ref[0]), Math.abs(ref[n - 1]));
      expect(ref[0]).toBeGreaterThan(0);
      expect(ref[n - 1]).toBeLessThan(0);
      ours.forEach((x, i) => expect(Math.abs(x - ref[i]), `λ${i}`).toBeLessThanOrEqual(8 * n * EPS * scale));
    });
  }
});
