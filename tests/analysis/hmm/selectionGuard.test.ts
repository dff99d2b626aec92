import { describe, expect, it } from 'vitest';
import {
  assembleSelection,
  fitObservations,
  packSequences,
  pickRestart,
  planSelection,
  restartSeed,
  runFitJob,
  sampleGaussianHMM,
  stabilityJobs,
  type DegenerateFinding,
  type FitJobResult,
} from '../../../src/analysis/index.ts';
import { maximizationStep } from '../../../src/analysis/hmm/mstep.ts';
import { emptyStats } from '../../../src/analysis/hmm/estep.ts';
import { toFlat } from '../../../src/analysis/hmm/params.ts';
import { createRng } from '../../../src/numeric/index.ts';
import { knownHmm } from '../../helpers/knownHmm.ts';

const alternation: DegenerateFinding = {
  kind: 'alternation',
  states: [1, 2],
  meanDwell: [1, 1],
  runs: 8,
  nRuns: 10,
  probabilities: [0.97, 0.99],
};

/** A result carrying only what the guard and the criteria read. */
function result(k: number, restart: number, ll: number, degenerate = false): FitJobResult {
  return {
    job: { k, restart, seed: restart },
    fit: { params: toFlat(knownHmm(k, 2, 1)), logLikelihoodHistory: [], converged: true, iterations: 1, warnings: [] },
    heldOutLogLikelihood: ll,
    heldOutPerRun: [ll],
    degenerate: degenerate ? [alternation] : [],
    shape: 'linear',
  };
}

describe('the degeneracy guard', () => {
  const n = 1000; // held-out checkpoints: 0.15 nats each is 150 nats

  it('uses the best clean restart when the best is degenerate and the clean one is within the tolerance', () => {
    const { used, guard } = pickRestart(
      [result(3, 0, -1000), result(3, 1, -900, true), result(3, 2, -1010)],
      n,
      0.15,
      true,
    );
    expect(used!.job.restart).toBe(0);
    expect(guard).toEqual({
      action: 'avoided',
      degenerateRestart: 1,
      findings: [alternation],
      usedRestart: 0,
      cleanRestart: 0,
      gapPerCheckpoint: 0.1,
    });
  });

  it('keeps the degenerate best, and says so, when every clean restart is further below', () => {
    const { used, guard } = pickRestart([result(3, 0, -1100), result(3, 1, -900, true)], n, 0.15, true);
    expect(used!.job.restart).toBe(1);
    expect(guard).toMatchObject({
      action: 'kept',
      degenerateRestart: 1,
      usedRestart: 1,
      cleanRestart: 0,
      gapPerCheckpoint: 0.2,
    });
    const none = pickRestart([result(3, 0, -950, true), result(3, 1, -900, true)], n, 0.15, true);
    expect(none.used!.job.restart).toBe(1);
    expect(none.guard).toEqual({ action: 'kept', degenerateRestart: 1, findings: [alternation], usedRestart: 1 });
  });

  it('does nothing when switched off or when the best is clean; ties go to the earlier restart', () => {
    expect(pickRestart([result(3, 0, -1000), result(3, 1, -900, true)], n, 0.15, false)).toEqual({
      used: expect.objectContaining({ job: expect.objectContaining({ restart: 1 }) }),
    });
    const clean = pickRestart([result(3, 1, -900), result(3, 0, -900), result(3, 2, -800, false)], n, 0.15, true);
    expect(clean.used!.job.restart).toBe(2);
    expect(clean.guard).toBeUndefined();
    expect(pickRestart([result(3, 1, -900), result(3, 0, -900)], n).used!.job.restart).toBe(0);
    expect(pickRestart([{ ...result(3, 0, NaN), fit: null, error: 'boom' }], n).used).toBeUndefined();
  });
});

describe('choosing K by the best restart or by the mean over restarts', () => {
  const seqs = sampleGaussianHMM(knownHmm(2, 3, 4), new Array(10).fill(40), createRng(4, 's')).sequences;
  const obs = packSequences(seqs);

  it('records both choices and uses the one asked for', () => {
    for (const criterion of ['best', 'mean'] as const) {
      const plan = planSelection(obs, { kMax: 2, restarts: 3, criterion });
      const nHeld = plan.heldOutObs.nObservations;
      // K=2 has the better best restart, K=1 the better mean (one K=2 restart failed badly).
      const results = [
        result(1, 0, -10 * nHeld),
        result(1, 1, -10 * nHeld),
        result(1, 2, -10 * nHeld),
        result(2, 0, -9 * nHeld),
        result(2, 1, -30 * nHeld),
        result(2, 2, -9.5 * nHeld),
      ];
      const sel = assembleSelection(plan, results);
      expect(sel.chosenKByBest).toBe(2);
      expect(sel.chosenKByMean).toBe(1);
      expect(sel.chosenK).toBe(criterion === 'best' ? 2 : 1);
      expect(sel.criterion).toBe(criterion);
      const row2 = sel.rows.find((r) => r.k === 2)!;
      expect(row2.meanHeldOutLogLikelihood).toBeCloseTo((-48.5 * nHeld) / 3, 6);
      expect(row2.bestRestart).toBe(0);
    }
  });

  it('plans bootstrap replicates (every K, the same resample for all of a replicate) only when K is chosen', () => {
    const plan = planSelection(obs, { kMax: 3, restarts: 2, bootstrap: 4, seed: 7 });
    const boot = plan.jobs.filter((j) => j.stage === 'bootstrap');
    expect(boot).toHaveLength(4 * 3 * 2);
    for (const j of boot) {
      expect(j.resample).toHaveLength(plan.train.length);
      expect(j.resample!.every((i) => Number.isInteger(i) && i >= 0 && i < plan.train.length)).toBe(true);
      expect(j.resample).toEqual(boot.find((b) => b.replicate === j.replicate)!.resample);
    }
    expect(new Set(boot.map((j) => j.resample!.join())).size).toBe(4);
    expect(planSelection(obs, { kMax: 3, restarts: 2, bootstrap: 4, seed: 7 }).jobs).toEqual(plan.jobs);
    expect(planSelection(obs, { states: 2, restarts: 2, bootstrap: 4 }).jobs.every((j) => j.stage === undefined)).toBe(
      true,
    );
    expect(() => planSelection(obs, { bootstrap: -1 })).toThrow(/bootstrap must be a whole number ≥ 0, got -1/);
  });

  it('numbers stability restarts after the selection restarts, with the same seeds restart r always gets', () => {
    const plan = planSelection(obs, { states: 2, restarts: 3, stabilityRestarts: 7, seed: 5 });
    const jobs = stabilityJobs(plan, 2);
    expect(jobs.map((j) => j.restart)).toEqual([3, 4, 5, 6]);
    expect(jobs.map((j) => j.seed)).toEqual([3, 4, 5, 6].map((r) => restartSeed(5, 2, r)));
    expect(plan.jobs.map((j) => j.seed)).toEqual([0, 1, 2].map((r) => restartSeed(5, 2, r)));
    expect(stabilityJobs(planSelection(obs, { states: 2, restarts: 5, stabilityRestarts: 3 }), 2)).toEqual([]);
  });

  it('a fit job reports per-run held-out scores, the map shape and degenerate states', () => {
    const plan = planSelection(obs, { states: 2, restarts: 1 });
    const r = runFitJob(plan.trainObs, plan.heldOutObs, plan.jobs[0], plan.options);
    expect(r.heldOutPerRun).toHaveLength(plan.heldOut.length);
    expect(r.heldOutPerRun.reduce((a, b) => a + b, 0)).toBeCloseTo(r.heldOutLogLikelihood, 8);
    expect(r.shape).toMatch(/^(linear|forking)$/);
    expect(r.degenerate).toEqual([]);
    const failed = runFitJob(plan.trainObs, plan.heldOutObs, { k: 100000, restart: 0, seed: 1 }, plan.options);
    expect(failed).toMatchObject({ fit: null, heldOutPerRun: [], degenerate: [] });
    expect(failed.error).toMatch(/cannot fit 100000 states/);
  });
});

describe('the sticky Dirichlet prior on transition rows', () => {
  it('adds its pseudo-counts to the self-transition in the M-step (hmmlearn transmat_prior = 1 + κ·I)', () => {
    const prev = toFlat(knownHmm(2, 1, 3));
    const stats = emptyStats(2, 1);
    stats.trans.set([2, 8, 6, 4]);
    stats.post.set([5, 5]);
    stats.obs.set([1, 2]);
    stats.obsObs.set([3, 4]);
    stats.start.set([1, 0]);
    const obs = packSequences([[[0], [1]]]);
    const plain = maximizationStep(prev, stats, 0.01, obs, 0, []);
    expect(Array.from(plain.transmat)).toEqual([0.2, 0.8, 0.6, 0.4]);
    const sticky = maximizationStep(prev, stats, 0.01, obs, 0, [], 10);
    expect(Array.from(sticky.transmat)).toEqual([12 / 20, 8 / 20, 6 / 20, 14 / 20]);
  });

  it('raises self-transitions and keeps the EM objective (likelihood plus log prior) from falling', () => {
    const seqs = sampleGaussianHMM(knownHmm(3, 3, 8), new Array(8).fill(60), createRng(8, 's')).sequences;
    const obs = packSequences(seqs);
    const plain = fitObservations(obs, { nStates: 3, seed: 2, tolerance: -Infinity, maxIterations: 15 });
    const sticky = fitObservations(obs, {
      nStates: 3,
      seed: 2,
      tolerance: -Infinity,
      maxIterations: 15,
      stickyPrior: 200,
    });
    const diag = (f: typeof plain) => [0, 1, 2].map((i) => f.params.transmat[i * 3 + i]);
    diag(sticky).forEach((d, i) => expect(d).toBeGreaterThan(diag(plain)[i]));
    for (let i = 1; i < sticky.logLikelihoodHistory.length; i++) {
      expect(sticky.logLikelihoodHistory[i]).toBeGreaterThanOrEqual(sticky.logLikelihoodHistory[i - 1] - 1e-6);
    }
    expect(() => fitObservations(obs, { nStates: 3, stickyPrior: -1 })).toThrow(
      /stickyPrior must be a finite number ≥ 0, got -1/,
    );
  });
});
