import { describe, expect, it } from 'vitest';
import { AnalysisInputError, analysisInputProblem, analyzeRuns, featureColumns } from '../../src/analysis/index.ts';
import { smallBundle } from '../helpers/bundles.ts';

/** The error analyzeRuns throws for a bundle, and how long it took to say so. */
function refusal(run: () => unknown): { error: AnalysisInputError; ms: number } {
  const t = performance.now();
  try {
    run();
  } catch (e) {
    if (!(e instanceof AnalysisInputError)) throw e;
    return { error: e, ms: performance.now() - t };
  }
  throw new Error('analysis did not refuse');
}

describe('data too small for a map ends at once, with a reason the page can act on', () => {
  it('2 runs of 2 checkpoints: too few checkpoints, said before any fit', () => {
    const { error, ms } = refusal(() => analyzeRuns(smallBundle(2, 2)));
    expect(error.problem).toEqual({ kind: 'too-few-checkpoints', checkpoints: 2, needed: 15, runs: 2, features: 14 });
    expect(error.message).toMatch(/^too little data for a map: 2 runs of 4 checkpoints in all; K=1 needs at least 15/);
    // Only normalization and the split run before the refusal (no EM): well under a second even on a loaded machine.
    expect(ms).toBeLessThan(2000);
  });

  it('one usable run: too few runs', () => {
    const { error } = refusal(() => analyzeRuns(smallBundle(1, 40)));
    expect(error.problem).toEqual({ kind: 'too-few-runs', usable: 1, runs: 1, needed: 2 });
  });

  it('a bundle without the default features offers its numeric columns to pick from', () => {
    const b = smallBundle(3, 30);
    for (const r of b.groups[0].runs)
      r.checkpoints = { step: r.checkpoints.step, eval_acc: r.checkpoints.eval_acc, loss: r.checkpoints.l1 };
    const { error } = refusal(() => analyzeRuns(b));
    expect(error.problem).toMatchObject({ kind: 'missing-features', available: ['eval_acc', 'loss'] });
    expect((error.problem as { missing: string[] }).missing).toHaveLength(14);
    expect(error.message).toMatch(/choose features among its numeric columns: eval_acc, loss$/);
    // The page's feature picker offers the same columns.
    expect(featureColumns(b)).toEqual(['eval_acc', 'loss']);
    // The problem survives a structured clone (a worker's postMessage), where the class does not.
    expect(analysisInputProblem(structuredClone({ message: error.message, problem: error.problem }))).toEqual(
      error.problem,
    );
    expect(analysisInputProblem(new Error('other'))).toBeUndefined();
  });
});
