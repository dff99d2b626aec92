import { describe, expect, it } from 'vitest';
import {
  analyzePrepared,
  assembleSelection,
  assessKChoice,
  finishAnalysis,
  packSequences,
  planSelection,
  plausibleKs,
  runJobsHere,
  stabilityJobs,
} from '../../src/analysis/index.ts';
import { sampledPrepared, shapedHmm } from '../helpers/sampledRuns.ts';

/** Freezes plain objects and arrays all the way down (typed arrays cannot be frozen; they are compared instead). */
function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !ArrayBuffer.isView(x) && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

describe('finishAnalysis: named steps, inputs left as they were', () => {
  it('gives the pipeline’s report from frozen inputs, and changes none of them', () => {
    const options = { kMin: 3, kMax: 4, restarts: 3, stabilityRestarts: 5, seed: 2 };
    const prep = sampledPrepared(shapedHmm('forking', 3, 2), 16, 50, 2);
    const expected = analyzePrepared(structuredClone(prep), options);
    const obs = packSequences(prep.z);
    const plan = planSelection(obs, options);
    const selection = assembleSelection(plan, runJobsHere(plan, plan.jobs));
    const kChoice = assessKChoice(selection, { seed: 2, nFeatures: obs.nFeatures });
    const plausible = plausibleKs(selection, kChoice, {
      nFeatures: obs.nFeatures,
      heldOutLengths: plan.heldOutObs.lengths,
      seed: 2,
    });
    const extra = runJobsHere(
      plan,
      plausible.flatMap((p) => stabilityJobs(plan, p.k)),
    );
    const fitted = { selection, extra, kChoice, plausible };
    const before = structuredClone({ prep, fitted, obs });
    // Strict-mode modules throw on any write to a frozen object, so a mutation cannot pass unnoticed.
    const report = finishAnalysis(deepFreeze(prep), deepFreeze(fitted), deepFreeze({ ...options }), obs);
    expect({ prep, fitted, obs }).toEqual(before);
    expect(report).toEqual(expected);
    expect(report.runs[0].path).toBeDefined();
    expect(prep.runs[0]).not.toHaveProperty('path');
  });
});
