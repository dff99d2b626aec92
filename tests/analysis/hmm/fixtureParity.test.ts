import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aic,
  bic,
  fitGaussianHMM,
  logLikelihood,
  nFreeParameters,
  posteriors,
  scorePerSequence,
  viterbi,
  type HMMParams,
} from '../../../src/analysis/index.ts';
import { eStepCounts, setEStepKernels, type EStepKernels } from '../../../src/analysis/hmm/estep.ts';
import { expectClose, readFixtureFolder } from '../../helpers/fixtures.ts';

interface HmmFixture {
  description: string;
  config: { nStates: number; nFeatures: number; iterations: number; covarsPrior: number };
  sequences: number[][][];
  start: HMMParams;
  expected: {
    logLikelihoodHistory: number[];
    finalLogLikelihood: number;
    params: HMMParams;
    viterbi: number[][];
    scorePerSequence: number[];
    posteriorFirstSequence: number[][];
    bic: number;
    aic: number;
    nFreeParameters: number;
  };
}

function closeDeep(actual: unknown, expected: unknown, rel: number, abs: number, path: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => closeDeep((actual as unknown[])[i], e, rel, abs, `${path}[${i}]`));
    return;
  }
  expectClose(actual as number, expected as number, rel, abs, path);
}

const fixtures = readFixtureFolder<HmmFixture>('hmm');
const KERNELS: EStepKernels[] = ['simd', 'javascript'];

/** Runs `fn` and says how many E-steps it ran on each path. */
function countingEsteps<T>(fn: () => T): { value: T; ran: Record<EStepKernels, number> } {
  const before = eStepCounts();
  const value = fn();
  const after = eStepCounts();
  return { value, ran: { simd: after.simd - before.simd, javascript: after.javascript - before.javascript } };
}

describe.each(KERNELS)('Gaussian HMM matches hmmlearn on every fixture in hmm/ (%s E-step)', (kernels) => {
  const other: EStepKernels = kernels === 'simd' ? 'javascript' : 'simd';
  beforeAll(() => setEStepKernels(kernels));
  afterAll(() => setEStepKernels('simd'));
  it('finds fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const { name, data: f } of fixtures) {
    describe(name, () => {
      let fit: ReturnType<typeof fitGaussianHMM>;
      let ran: Record<EStepKernels, number>;
      beforeAll(() => {
        ({ value: fit, ran } = countingEsteps(() =>
          fitGaussianHMM(f.sequences, {
            nStates: f.config.nStates,
            start: f.start,
            maxIterations: f.config.iterations,
            tolerance: -Infinity,
            covariancePrior: f.config.covarsPrior,
          }),
        ));
      });
      const e = f.expected;
      it(`every E-step of the fit ran on the ${kernels} path`, () => {
        expect(ran[kernels]).toBe(f.config.iterations);
        expect(ran[other]).toBe(0);
      });
      it('log-likelihood after every iteration within 1e-6 relative', () => {
        expect(fit.iterations).toBe(f.config.iterations);
        closeDeep(fit.logLikelihoodHistory, e.logLikelihoodHistory, 1e-6, 0, 'history');
      });
      it('final parameters within 1e-5', () => {
        closeDeep(fit.params.startprob, e.params.startprob, 1e-5, 1e-5, 'startprob');
        closeDeep(fit.params.transmat, e.params.transmat, 1e-5, 1e-5, 'transmat');
        closeDeep(fit.params.means, e.params.means, 1e-5, 1e-5, 'means');
        closeDeep(fit.params.covars, e.params.covars, 1e-5, 1e-5, 'covars');
        expect(fit.warnings).toEqual([]);
      });
      it('Viterbi paths identical', () => {
        f.sequences.forEach((s, i) => expect(viterbi(fit.params, s).path, `sequence ${i}`).toEqual(e.viterbi[i]));
      });
      it('per-sequence scores within 1e-6 relative, and the total', () => {
        const scored = countingEsteps(() => scorePerSequence(fit.params, f.sequences));
        expect(scored.ran).toEqual({ [kernels]: 1, [other]: 0 });
        closeDeep(scored.value, e.scorePerSequence, 1e-6, 0, 'score');
        expectClose(logLikelihood(fit.params, f.sequences), e.finalLogLikelihood, 1e-6, 0, 'final LL');
      });
      it('posteriors of the first sequence within 1e-6', () => {
        closeDeep(posteriors(fit.params, f.sequences[0]), e.posteriorFirstSequence, 0, 1e-6, 'posterior');
      });
      it('BIC, AIC and free-parameter count', () => {
        const k = f.config.nStates;
        const d = f.config.nFeatures;
        const n = f.sequences.reduce((a, s) => a + s.length, 0);
        const ll = logLikelihood(fit.params, f.sequences);
        expect(nFreeParameters(k, d)).toBe(e.nFreeParameters);
        expectClose(bic(ll, k, d, n), e.bic, 1e-6, 0, 'bic');
        expectClose(aic(ll, k, d), e.aic, 1e-6, 0, 'aic');
      });
    });
  }
});

it('setEStepKernels refuses a name it does not know', () => {
  expect(() => setEStepKernels('gpu' as EStepKernels)).toThrow(
    "E-step kernels must be 'simd' or 'javascript', got 'gpu'",
  );
});
