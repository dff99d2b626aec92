import { describe, expect, it } from 'vitest';
import { comparisonCells, comparisonRow, COMPARISON_COLUMNS } from '../../src/ui/charts/comparison.ts';
import { forkingSample, sparseParitySample } from './sampleReport.ts';

describe('comparison rows (the paper’s Table 1, one row per group)', () => {
  it('K, R², p, both dissimilarities, the map’s shape with its support, detours, convergence mean ± sd', () => {
    const { report } = sparseParitySample();
    const row = comparisonRow('sparse parity', report);
    const reg = report.regression as { rSquared: number; fPValue: number };
    const st = report.stability as { verdict: { support: number } };
    const times = report.runs.filter((r) => r.convergence?.converged).map((r) => r.convergence!.checkpoint);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    expect(row).toMatchObject({
      k: report.selection.chosenK,
      rSquared: reg.rSquared,
      pValue: reg.fPValue,
      dissimilarity: report.dissimilarity.stateIndex,
      labelFree: report.dissimilarity.labelFree,
      shape: report.map.shape,
      shapeSupport: st.verdict.support,
      converged: times.length,
    });
    expect(row.convergenceMean).toBeCloseTo(mean, 12);
    expect(row.convergenceSd).toBeCloseTo(
      Math.sqrt(times.reduce((a, t) => a + (t - mean) ** 2, 0) / (times.length - 1)),
      12,
    );
    const cells = comparisonCells(row);
    expect(cells).toHaveLength(COMPARISON_COLUMNS.length);
    expect(cells[6]).toBe(`linear (${Math.round(100 * st.verdict.support)}%)`);
  });

  it('a forking group with detours, and groups without regression or converged runs, read as such', () => {
    const { report } = forkingSample();
    const cells = comparisonCells(comparisonRow('forking', report));
    expect(cells[6]).toMatch(/^forking/);
    expect(cells[7]).toBe(report.detours.join(', '));
    const none = comparisonRow('none', {
      ...report,
      regression: { skipped: 'no accuracy' },
      runs: report.runs.map((r) => ({ ...r, convergence: r.convergence && { ...r.convergence, converged: false } })),
    });
    expect([none.rSquared, none.pValue, none.convergenceMean]).toEqual([null, null, null]);
    expect(comparisonCells(none)[8]).toBe(`none of ${none.runs}`);
  });
});
