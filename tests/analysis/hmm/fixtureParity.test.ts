import { describe, expect, it } from 'vitest';
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

describe('Gaussian HMM matches hmmlearn on every fixture in hmm/', () => {
  it('finds fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const { name, data: f } of fixtures) {
    describe(name, () => {
      const fit = fitGaussianHMM(f.sequences, {
        nStates: f.config.nStates,
        start: f.start,
        maxIterations: f.config.iterations,
        tolerance: -Infinity,
        covariancePrior: f.config.covarsPrior,
      });
      const e = f.expected;
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
        closeDeep(scorePerSequence(fit.params, f.sequences), e.scorePerSequence, 1e-6, 0, 'score');
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
