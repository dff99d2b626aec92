import { describe, expect, it } from 'vitest';
import { fDistributionSurvival, logGamma, regularizedBeta } from '../../src/numeric/specialFunctions.ts';
import { expectClose } from '../helpers/fixtures.ts';

/** ln Γ(x): Python 3 `math.lgamma(x)`, checked against mpmath 1.3 `loggamma` at 40 digits. */
const LGAMMA: [number, number][] = [
  [1e-8, 18.42068073818021],
  [0.1, 2.2527126517342055],
  [0.5, 0.5723649429247004],
  [1, 0],
  [1.5, -0.12078223763524522],
  [2, 0],
  [3.7, 1.428072326665388],
  [10, 12.80182748008147],
  [33.3, 82.60372358165495],
  [100, 359.1342053695754],
  [171.5, 709.1431630309282],
  [1e4, 82099.71749644238],
  [1e7, 151180949.3694739],
];

/** I_x(a, b): mpmath 1.3 `betainc(a, b, 0, x, regularized=True)` at 40 digits. */
const BETA: [number, number, number, number][] = [
  [0.3, 2, 3, 0.3483], // also the polynomial I_x(2, 3) = 6x² − 8x³ + 3x⁴
  [0.5, 0.5, 0.5, 0.5],
  [0.1, 5, 0.7, 4.779531846799772e-6],
  [0.1, 20, 10, 4.0725056810948544e-14],
  [1e-4, 0.5, 30, 0.06148745840877138],
  [0.2, 50, 50, 1.3286199631860364e-11],
  [0.7, 200, 100, 0.8911569343550898],
  [0.45, 1000, 1000, 3.683198869007578e-6],
];

/**
 * P(F > f) for F ~ F(d1, d2): mpmath `betainc(d2/2, d1/2, 0, d2/(d2 + d1·f), regularized=True)`, cross-checked
 * by mpmath `quad` of the F density from f to ∞ (agreeing to 20 digits except the 1e-44 tail, where quad is the
 * weaker of the two). 4.9646 and 3.0984 are the printed 5% critical values of F(1, 10) and F(3, 20).
 */
const F_SURVIVAL: [number, number, number, number][] = [
  [4.9646, 1, 10, 0.05000005219291377],
  [3.0984, 3, 20, 0.04999958743330164],
  [1, 5, 5, 0.5],
  [0.2, 14, 300, 0.9993209834646966],
  [30, 3, 50, 3.0727679029496373e-11],
  [200, 10, 40, 6.953787535332159e-31],
  [1000, 3, 50, 1.32177603013816e-44],
  [2.5, 1, 1, 0.3590170359713761],
];

describe('logGamma', () => {
  for (const [x, expected] of LGAMMA) {
    it(`ln Γ(${x}) = ${expected}`, () => expectClose(logGamma(x), expected, 1e-14, 1e-14, `logGamma(${x})`));
  }

  it('satisfies Γ(x + 1) = x Γ(x) and gives ln n! at integers', () => {
    for (const x of [0.01, 0.3, 0.77, 2.5, 13.1, 250])
      expectClose(logGamma(x + 1) - logGamma(x), Math.log(x), 1e-12, 1e-13, `recurrence at ${x}`);
    let lnFactorial = 0;
    for (let n = 1; n <= 30; n++) {
      expectClose(logGamma(n + 1), lnFactorial + Math.log(n), 1e-14, 1e-14, `ln ${n}!`);
      lnFactorial += Math.log(n);
    }
  });
});

describe('regularizedBeta', () => {
  for (const [x, a, b, expected] of BETA) {
    it(`I_${x}(${a}, ${b}) = ${expected}`, () =>
      expectClose(regularizedBeta(x, a, b), expected, 1e-12, 0, `I_${x}(${a}, ${b})`));
  }

  it('closed forms: I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b, and the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    for (const x of [0.01, 0.2, 0.5, 0.9, 0.999]) {
      for (const p of [0.5, 1, 3, 17]) {
        expectClose(regularizedBeta(x, p, 1), x ** p, 1e-13, 1e-300, `I_${x}(${p}, 1)`);
        expectClose(regularizedBeta(x, 1, p), -Math.expm1(p * Math.log1p(-x)), 1e-13, 1e-300, `I_${x}(1, ${p})`);
        expectClose(
          regularizedBeta(x, p, 2.5),
          1 - regularizedBeta(1 - x, 2.5, p),
          1e-12,
          1e-15,
          `symmetry at ${x}, ${p}`,
        );
      }
    }
  });

  it('is 0 at and below 0, 1 at and above 1, and NaN for non-positive shape parameters', () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(-1, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    expect(regularizedBeta(1.5, 2, 3)).toBe(1);
    expect(regularizedBeta(0.5, 0, 3)).toBeNaN();
    expect(regularizedBeta(0.5, 2, -1)).toBeNaN();
    expect(regularizedBeta(0.5, NaN, 1)).toBeNaN();
  });
});

describe('fDistributionSurvival', () => {
  for (const [f, d1, d2, expected] of F_SURVIVAL) {
    it(`P(F(${d1}, ${d2}) > ${f}) = ${expected}`, () =>
      expectClose(fDistributionSurvival(f, d1, d2), expected, 1e-11, 0, `F(${d1}, ${d2}) at ${f}`));
  }

  it('for d1 = 2 equals the closed form (1 + 2f/d2)^(−d2/2), far into the tail', () => {
    for (const d2 of [1, 4, 30, 500]) {
      for (const f of [0.01, 1, 10, 1e3, 1e6]) {
        expectClose(
          fDistributionSurvival(f, 2, d2),
          Math.exp((-d2 / 2) * Math.log1p((2 * f) / d2)),
          1e-12,
          1e-300,
          `F(2, ${d2}) at ${f}`,
        );
      }
    }
  });

  it('is 1 at f ≤ 0, 0 at f = ∞, decreasing in f, and NaN for NaN or non-positive degrees of freedom', () => {
    expect(fDistributionSurvival(0, 3, 7)).toBe(1);
    expect(fDistributionSurvival(-2, 3, 7)).toBe(1);
    expect(fDistributionSurvival(Infinity, 3, 7)).toBe(0);
    let prev = 1;
    for (let f = 0.1; f < 50; f *= 1.5) {
      const p = fDistributionSurvival(f, 4, 12);
      expect(p).toBeLessThan(prev);
      prev = p;
    }
    expect(fDistributionSurvival(NaN, 3, 7)).toBeNaN();
    expect(fDistributionSurvival(1, 0, 7)).toBeNaN();
    expect(fDistributionSurvival(1, 3, -7)).toBeNaN();
  });
});
