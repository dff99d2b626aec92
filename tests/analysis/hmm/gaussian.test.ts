import { determinant, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { factorGaussians, gaussianLogDensities, regularizedCholesky } from '../../../src/analysis/hmm/gaussian.ts';
import { flatten2d } from '../../../src/numeric/linalg.ts';
import { createRng } from '../../../src/numeric/rng.ts';
import { gaussianMatrix, spdWithEigenvalues, toMatrix } from '../../helpers/oracle.ts';

/** log N(x; μ, Σ) written out with ml-matrix's inverse and determinant: the textbook formula, independently. */
function referenceLogDensity(x: ArrayLike<number>, mean: ArrayLike<number>, cov: Float64Array, d: number): number {
  const s = toMatrix(d, d, cov);
  const inv = inverse(s);
  let q = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += (x[i] - mean[i]) * inv.get(i, j) * (x[j] - mean[j]);
  return -0.5 * (d * Math.log(2 * Math.PI) + Math.log(determinant(s)) + q);
}

describe('gaussianLogDensities', () => {
  for (const [k, d, count] of [
    [3, 14, 21],
    [1, 1, 8],
    [4, 5, 7],
    [2, 3, 17],
  ]) {
    it(`agrees with the textbook formula (ml-matrix inverse and determinant): K=${k}, D=${d}, ${count} rows`, () => {
      const rng = createRng(k * 100 + d, 'gauss');
      const means = gaussianMatrix(k, d, k + d);
      const covars = new Float64Array(k * d * d);
      for (let s = 0; s < k; s++) {
        covars.set(
          spdWithEigenvalues(
            Array.from({ length: d }, () => 0.05 + 3 * rng.next()),
            s + 17 * d,
          ),
          s * d * d,
        );
      }
      const row0 = 3;
      const data = Float64Array.from({ length: (row0 + count) * d }, () => 2 * rng.normal());
      const g = factorGaussians(k, d, means, covars);
      expect(Array.from(g.ridge)).toEqual(new Array(k).fill(0));
      const out = new Float64Array(count * k);
      gaussianLogDensities(g, data, row0, count, out);
      for (let t = 0; t < count; t++) {
        for (let s = 0; s < k; s++) {
          const ref = referenceLogDensity(
            data.subarray((row0 + t) * d, (row0 + t + 1) * d),
            means.subarray(s * d, (s + 1) * d),
            covars.subarray(s * d * d, (s + 1) * d * d),
            d,
          );
          expect(Math.abs(out[t * k + s] - ref), `row ${t}, state ${s}`).toBeLessThanOrEqual(
            1e-10 * Math.max(1, Math.abs(ref)),
          );
        }
      }
    });
  }

  it('the standard normal at its mean is −(D/2)·ln 2π', () => {
    const d = 4;
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) cov[i * d + i] = 1;
    const out = new Float64Array(1);
    gaussianLogDensities(factorGaussians(1, d, new Float64Array(d), cov), new Float64Array(d), 0, 1, out);
    expect(out[0]).toBeCloseTo(-2 * Math.log(2 * Math.PI), 14);
  });
});

describe('regularizedCholesky', () => {
  it('adds nothing to a well-conditioned covariance', () => {
    const cov = spdWithEigenvalues([2, 1, 0.5], 1);
    expect(regularizedCholesky(cov, 3, new Float64Array(9))).toBe(0);
  });

  it('adds hmmlearn’s first ridge, 1e-7, to an exactly singular one, and larger ridges by decades to an indefinite one', () => {
    const chol = new Float64Array(4);
    expect(
      regularizedCholesky(
        flatten2d([
          [1, 1],
          [1, 1],
        ]),
        2,
        chol,
      ),
    ).toBe(1e-7);
    // eigenvalues 3 and −1: Σ + λI is positive definite only for λ > 1, so the escalation ends at 1e-7·10^8
    const ridge = regularizedCholesky(
      flatten2d([
        [1, 2],
        [2, 1],
      ]),
      2,
      chol,
    );
    expect(ridge).toBeCloseTo(10, 10);
    // the factor written is that of Σ + ridge·I
    expect(chol[0] ** 2).toBeCloseTo(1 + ridge, 10);
  });

  it('treats a positive definite but numerically singular covariance (condition 1e12) as singular', () => {
    const cov = spdWithEigenvalues([1, 1e-12], 3);
    expect(regularizedCholesky(cov, 2, new Float64Array(4))).toBeGreaterThan(0);
  });

  it('says so when no ridge up to 1e3·scale helps, and when the covariance is not finite', () => {
    const hopeless = flatten2d([
      [1, 1e5],
      [1e5, 1],
    ]);
    expect(() => regularizedCholesky(hopeless, 2, new Float64Array(4))).toThrow(
      'covariance could not be made positive definite',
    );
    expect(() => regularizedCholesky(flatten2d([[NaN]]), 1, new Float64Array(1))).toThrow(
      'covariance contains NaN or Infinity',
    );
  });

  it('factorGaussians reports the ridge per state and uses the regularized covariance in the normalization', () => {
    const covars = Float64Array.from([1, 0, 0, 1, 1, 1, 1, 1]);
    const g = factorGaussians(2, 2, new Float64Array(4), covars);
    expect(Array.from(g.ridge)).toEqual([0, 1e-7]);
    const logDet = Math.log((1 + 1e-7) ** 2 - 1);
    expect(g.logNorm[1]).toBeCloseTo(-0.5 * (2 * Math.log(2 * Math.PI) + logDet), 6);
  });
});
