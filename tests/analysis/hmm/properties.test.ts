import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fitGaussianHMM,
  matchStates,
  permuteParams,
  posteriors,
  sampleGaussianHMM,
  type HMMParams,
} from '../../../src/analysis/index.ts';
import { createRng } from '../../../src/numeric/index.ts';
import {
  ForwardBackwardWorkspace,
  forwardBackward,
  logSpaceForwardBackward,
} from '../../../src/analysis/hmm/forwardBackward.ts';
import { eStepCounts, setEStepKernels, type EStepKernels } from '../../../src/analysis/hmm/estep.ts';
import { knownHmm } from '../../helpers/knownHmm.ts';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function data(seed: number, k: number, d: number, runs: number, len: number) {
  return sampleGaussianHMM(knownHmm(k, d, seed, 2), new Array(runs).fill(len), createRng(seed, 'prop')).sequences;
}

const KERNELS: EStepKernels[] = ['simd', 'javascript'];

describe.each(KERNELS)('EM properties (fast-check, %s E-step)', (kernels) => {
  const other: EStepKernels = kernels === 'simd' ? 'javascript' : 'simd';
  let before: Readonly<Record<EStepKernels, number>>;
  beforeAll(() => {
    setEStepKernels(kernels);
    before = eStepCounts();
  });
  afterAll(() => setEStepKernels('simd'));

  it('probabilities stay normalized: start, transitions, posteriors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (seed, k, d) => {
          const seqs = data(seed, 3, d, 4, 40);
          const fit = fitGaussianHMM(seqs, { nStates: k, seed, maxIterations: 8 });
          const p = fit.params;
          expect(Math.abs(sum(p.startprob) - 1)).toBeLessThan(1e-9);
          p.transmat.forEach((row) => expect(Math.abs(sum(row) - 1)).toBeLessThan(1e-9));
          [...p.startprob, ...p.transmat.flat()].forEach((x) => expect(x).toBeGreaterThanOrEqual(0));
          posteriors(p, seqs[0]).forEach((row) => expect(Math.abs(sum(row) - 1)).toBeLessThan(1e-9));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the log-likelihood never decreases over EM, except after a reported repair (maximum-likelihood EM, no covariance prior)', () => {
    // Without the prior a state's covariance can collapse (the likelihood is unbounded there); the fit then
    // adds a ridge and says so, and that step may lower the likelihood. Every decrease must be so explained.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 4 }), (seed, k) => {
        const seqs = data(seed, 3, 3, 6, 60);
        const fit = fitGaussianHMM(seqs, {
          nStates: k,
          seed,
          maxIterations: 15,
          tolerance: -Infinity,
          covariancePrior: 0,
        });
        const h = fit.logLikelihoodHistory;
        const firstRepair = Math.min(...fit.warnings.map((w) => w.iteration), Infinity);
        for (let i = 1; i < h.length; i++) {
          if (h[i] >= h[i - 1] - 1e-7 * Math.abs(h[i - 1])) continue;
          expect(
            firstRepair,
            `log-likelihood fell at iteration ${i} (${h[i - 1]} → ${h[i]}) with no repair reported before it`,
          ).toBeLessThanOrEqual(i);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a collapsing covariance (seed 10, K=4) is repaired and reported where the likelihood falls', () => {
    const fit = fitGaussianHMM(data(10, 3, 3, 6, 60), {
      nStates: 4,
      seed: 10,
      maxIterations: 15,
      tolerance: -Infinity,
      covariancePrior: 0,
    });
    const h = fit.logLikelihoodHistory;
    const falls = h.flatMap((v, i) => (i > 0 && v < h[i - 1] - 1e-7 * Math.abs(h[i - 1]) ? [i] : []));
    expect(falls.length).toBeGreaterThan(0);
    expect(fit.warnings[0]).toMatchObject({ kind: 'singular-covariance', iteration: falls[0] });
    expect(fit.params.covars.flat(2).every(Number.isFinite)).toBe(true);
  });

  it('the same seed gives the same fit; another seed another start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const seqs = data(seed, 3, 3, 4, 40);
        const a = fitGaussianHMM(seqs, { nStates: 3, seed, maxIterations: 5 });
        const b = fitGaussianHMM(seqs, { nStates: 3, seed, maxIterations: 5 });
        expect(b).toEqual(a);
        const c = fitGaussianHMM(seqs, { nStates: 3, seed: seed + 1, maxIterations: 1 });
        expect(c.params).not.toEqual(fitGaussianHMM(seqs, { nStates: 3, seed, maxIterations: 1 }).params);
      }),
      { numRuns: 15 },
    );
  });

  it('a permutation of states is undone by label matching', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 8 }), (seed, k) => {
        const p: HMMParams = knownHmm(k, 5, seed);
        const perm = Array.from({ length: k }, (_, i) => i);
        createRng(seed, 'perm').shuffle(perm);
        const shuffled = permuteParams(p, perm);
        const order = matchStates(p, shuffled);
        expect(permuteParams(shuffled, order)).toEqual(p);
      }),
      { numRuns: 50 },
    );
  });

  it('scaled forward–backward equals the log-space one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 30 }),
        (seed, k, t) => {
          const rng = createRng(seed, 'fb');
          const logB = Float64Array.from({ length: t * k }, () => -50 * rng.next() - (rng.next() < 0.1 ? 600 : 0));
          const start = Float64Array.from(rng.dirichlet(new Array(k).fill(0.5)));
          const trans = Float64Array.from(
            Array.from({ length: k }, () => rng.dirichlet(new Array(k).fill(0.5))).flat(),
          );
          const g1 = new Float64Array(t * k);
          const g2 = new Float64Array(t * k);
          const x1 = new Float64Array(k * k);
          const x2 = new Float64Array(k * k);
          const a = forwardBackward(logB, t, start, trans, g1, x1, new ForwardBackwardWorkspace(t, k));
          const b = logSpaceForwardBackward(logB, t, start, trans, g2, x2);
          expect(Math.abs(a.logLikelihood - b.logLikelihood)).toBeLessThan(1e-9 * Math.abs(b.logLikelihood) + 1e-9);
          g1.forEach((v, i) => expect(Math.abs(v - g2[i])).toBeLessThan(1e-9));
          x1.forEach((v, i) => expect(Math.abs(v - x2[i])).toBeLessThan(1e-8 * Math.max(1, t)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it(`every E-step above ran on the ${kernels} path`, () => {
    const now = eStepCounts();
    expect(now[kernels] - before[kernels]).toBeGreaterThan(100);
    expect(now[other] - before[other]).toBe(0);
  });
});
