import { describe, expect, it } from 'vitest';
import {
  analyzePrepared,
  assembleSelection,
  assessKChoice,
  packSequences,
  planSelection,
  sampleGaussianHMM,
  type FitJobResult,
} from '../../src/analysis/index.ts';
import { toFlat } from '../../src/analysis/hmm/params.ts';
import { createRng } from '../../src/numeric/index.ts';
import { knownHmm } from '../helpers/knownHmm.ts';
import { sampledPrepared, shapedHmm } from '../helpers/sampledRuns.ts';

const obs = packSequences(sampleGaussianHMM(knownHmm(2, 2, 4), new Array(10).fill(40), createRng(4, 's')).sequences);

function result(k: number, restart: number, ll: number, replicate?: number): FitJobResult {
  return {
    job: { k, restart, seed: restart, ...(replicate !== undefined ? { stage: 'bootstrap' as const, replicate } : {}) },
    fit: { params: toFlat(knownHmm(k, 2, 1)), logLikelihoodHistory: [], converged: true, iterations: 1, warnings: [] },
    heldOutLogLikelihood: ll,
    heldOutPerRun: [ll],
    degenerate: [],
    shape: 'linear',
  };
}

describe('how firmly K is chosen', () => {
  const plan = planSelection(obs, { kMax: 2, restarts: 4 });
  const n = plan.heldOutObs.nObservations;

  it('calls two K indistinguishable when the winner depends on which restarts were drawn', () => {
    // K=2 wins only through its one lucky restart (restart 3): resampling loses it about a third of the time.
    const results = [0, 1, 2, 3].flatMap((r) => [result(1, r, -2 * n), result(2, r, r === 3 ? -1 * n : -3 * n)]);
    const choice = assessKChoice(assembleSelection(plan, results), { nFeatures: 2, resamples: 400, seed: 1 });
    expect(choice.chosenK).toBe(2);
    const wins = Object.fromEntries(choice.restartResamples.wins.map((w) => [w.k, w.best]));
    expect(wins[2]).toBeGreaterThan(0.55);
    expect(wins[2]).toBeLessThan(0.8);
    expect(wins[1] + wins[2]).toBeCloseTo(1, 12);
    expect(choice.indistinguishable).toEqual([1]);
    expect(choice.note).toMatch(/K = 1 and 2 are indistinguishable here/);
    // The mean over restarts prefers K=1 here, and the note says the criteria disagree.
    expect(choice.byMean).toBe(1);
    expect(choice.agree).toBe(false);
    expect(choice.note).toMatch(
      /^the criteria disagree: the best restart's BIC chooses K=2, the mean BIC over restarts K=1; K=2 is used \(--criterion best\)/,
    );
  });

  it('says nothing is in doubt when every restart agrees, and scores bootstrap replicates when there are some', () => {
    const results = [0, 1, 2, 3].flatMap((r) => [result(1, r, -3 * n), result(2, r, -1 * n - r)]);
    const boot = [0, 1, 2].flatMap((b) =>
      [0, 1].flatMap((r) => [result(1, r, (b === 2 ? -0.5 : -3) * n, b), result(2, r, -1 * n, b)]),
    );
    const restartsOnly = assessKChoice(assembleSelection(plan, results), { nFeatures: 2, resamples: 100 });
    expect(restartsOnly.indistinguishable).toEqual([]);
    expect(restartsOnly.bootstrap).toBeUndefined();
    expect(restartsOnly.note).toBe(
      "both criteria choose K=2 (best restart's BIC and mean BIC over restarts); resampling the 4 restarts per K 100 times, K wins: K=2 100%",
    );
    const choice = assessKChoice(assembleSelection(plan, [...results, ...boot]), { nFeatures: 2, resamples: 100 });
    expect(choice.agree).toBe(true);
    expect(choice.restartResamples.wins.find((w) => w.k === 2)!.best).toBe(1);
    expect(choice.bootstrap).toEqual({
      replicates: 3,
      restartsPerK: 2,
      wins: [
        { k: 1, best: 1 / 3, mean: 1 / 3 },
        { k: 2, best: 2 / 3, mean: 2 / 3 },
      ],
    });
    // A third of the replicates choose K=1: more than the 20% share that marks a K as indistinguishable, less than 40%.
    expect(choice.indistinguishable).toEqual([1]);
    expect(choice.note).toMatch(
      /over 3 bootstrap replicates of the runs: K=2 67%, K=1 33%; K = 1 and 2 are indistinguishable here/,
    );
    const strict = assessKChoice(assembleSelection(plan, [...results, ...boot]), {
      nFeatures: 2,
      resamples: 100,
      share: 0.4,
    });
    expect(strict.indistinguishable).toEqual([]);
  });
});

describe('the bootstrap over runs, through the pipeline', () => {
  it('refits every K on resampled training runs and reports how often each K wins', () => {
    const report = analyzePrepared(sampledPrepared(shapedHmm('linear', 3, 1), 12, 50, 1), {
      kMax: 4,
      restarts: 2,
      bootstrap: 3,
      stabilityRestarts: 3,
      seed: 1,
    });
    const b = report.stability.kChoice.bootstrap!;
    expect(b.replicates).toBe(3);
    expect(b.restartsPerK).toBe(2);
    expect(b.wins.map((w) => w.k)).toEqual([1, 2, 3, 4]);
    expect(b.wins.reduce((s, w) => s + w.best, 0)).toBeCloseTo(1, 12);
    expect(report.settings.bootstrap).toBe(3);
    // Bootstrap fits are not model-selection restarts.
    expect(report.selection.rows.every((r) => r.restarts.length === 2)).toBe(true);
  });
});
