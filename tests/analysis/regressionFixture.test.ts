import { describe, expect, it } from 'vitest';
import { bagOfStatesRegression, detourStates, trajectoryDissimilarity, occupancy } from '../../src/analysis/index.ts';
import { expectClose, readFixtureFolder } from '../helpers/fixtures.ts';

interface AnalysisFixture {
  nStates: number;
  paths: number[][];
  convergence: number[];
  expected: {
    coefficients: number[];
    rSquared: number;
    fPValue: number;
    dfModel: number;
    dfResid: number;
    meanWasserstein: number;
    detourStates: number[];
  };
}

const fixtures = readFixtureFolder<AnalysisFixture>('analysis');

describe('bag-of-states regression and dissimilarity match statsmodels/scipy on every fixture in analysis/', () => {
  it('finds fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const { name, data: f } of fixtures) {
    it(name, () => {
      const reg = bagOfStatesRegression(f.paths, f.nStates, f.convergence);
      const lengths = new Set(f.paths.map((p) => p.length));
      expect(lengths.size, 'counts form needs equal-length runs').toBe(1);
      const t = f.paths[0].length;
      // Fixture coefficients are on state counts; ours on occupancy = counts / T.
      f.expected.coefficients.forEach((c, k) =>
        expectClose(reg.coefficients[k] / t, c, 1e-6, 1e-12, `coefficient ${k}`),
      );
      expectClose(reg.rSquared, f.expected.rSquared, 1e-6, 0, 'R²');
      expectClose(reg.fPValue, f.expected.fPValue, 1e-6, 0, 'F p-value');
      expect(reg.dfModel).toBe(f.expected.dfModel);
      expect(reg.dfResid).toBe(f.expected.dfResid);
      const occ = f.paths.map((p) => occupancy(p, f.nStates));
      expectClose(trajectoryDissimilarity(occ), f.expected.meanWasserstein, 1e-6, 0, 'dissimilarity');
      const converged = f.convergence.map((c) => c < t);
      expect(detourStates(reg.coefficients, f.paths, converged)).toEqual(f.expected.detourStates);
    });
  }
});
