import { describe, expect, it } from 'vitest';
import { analyzeRuns, wassersteinOnIndices, type AnalysisReport } from '../../src/analysis/index.ts';
import { earthMoversDistance } from '../../src/numeric/index.ts';
import { knownHmm } from '../helpers/knownHmm.ts';
import { sampledBundle } from '../helpers/sampledRuns.ts';

/** `runs` runs of 2 checkpoints over 14 features, sampled from a 3-state HMM (issue #19's shape of data). */
const shortRuns = (runs: number) => sampledBundle(knownHmm(3, 14, 3, 3, 0.5), runs, 2, 3);

const options = {
  restarts: 1,
  kMax: 3,
  stabilityRestarts: 3,
  seed: 0,
  features: Array.from({ length: 14 }, (_, j) => `f${j}`),
};

/** The quadratic computation the analysis no longer does: both dissimilarities as means over every pair of runs. */
function pairwise(report: AnalysisReport): { stateIndex: number; labelFree: number } {
  const occ = report.runs.filter((r) => r.included).map((r) => r.occupancy!);
  const means = report.model.params.means;
  const cost = means.map((a) => means.map((b) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0))));
  let index = 0;
  let free = 0;
  for (let i = 0; i < occ.length; i++)
    for (let j = i + 1; j < occ.length; j++) {
      index += wassersteinOnIndices(occ[i], occ[j]);
      free += earthMoversDistance(occ[i], occ[j], cost);
    }
  const pairs = (occ.length * (occ.length - 1)) / 2;
  return { stateIndex: index / pairs, labelFree: free / pairs };
}

describe('the analysis at scale', () => {
  it('at 500 runs, its dissimilarities equal the mean over all 124,750 pairs', () => {
    const report = analyzeRuns(shortRuns(500), options);
    const exact = pairwise(report);
    expect(report.dissimilarity.stateIndex).toBeCloseTo(exact.stateIndex, 10);
    expect(report.dissimilarity.labelFree).toBeCloseTo(exact.labelFree, 10);
    expect(report.dissimilarity.method?.stateIndex.method).toBe('closed-form');
    expect(report.dissimilarity.method?.labelFree).toMatchObject({ method: 'exact', pairs: 124750 });
  });

  it('5,000 runs of 2 checkpoints finish, every run decoded, the dissimilarities still exact', () => {
    // Before the dissimilarities became linear this took minutes (issue #19: 2,000 runs in 391 s); speed itself is
    // measured by bench/analysisScaling.ts, never asserted here.
    const report = analyzeRuns(shortRuns(5000), options);
    expect(report.runs.filter((r) => r.included && r.path?.length === 2)).toHaveLength(5000);
    expect(report.dissimilarity.method?.stateIndex).toMatchObject({ method: 'closed-form', totalPairs: 12497500 });
    // Runs of 2 checkpoints have few distinct occupancies, so every pair is still counted exactly.
    expect(report.dissimilarity.method?.labelFree).toMatchObject({ method: 'exact', pairs: 12497500 });
    expect('skipped' in report.stability).toBe(false);
  });
});
