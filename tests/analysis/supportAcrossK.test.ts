import { describe, expect, it } from 'vitest';
import {
  analyzePrepared,
  assembleSelection,
  assessKChoice,
  caveatsOf,
  chanceOfEachK,
  describeVerdict,
  formatKs,
  packSequences,
  planSelection,
  plausibleKs,
  sampleGaussianHMM,
  type AnalysisReport,
  type FitJobResult,
  type SupportAcrossK,
} from '../../src/analysis/index.ts';
import { toFlat } from '../../src/analysis/hmm/params.ts';
import { createRng } from '../../src/numeric/index.ts';
import { knownHmm } from '../helpers/knownHmm.ts';
import { sampledPrepared, shapedHmm } from '../helpers/sampledRuns.ts';

function acrossK(report: AnalysisReport): SupportAcrossK {
  const s = report.stability;
  if ('skipped' in s || !s.acrossK) throw new Error('no support across K');
  return s.acrossK;
}

describe('support across the plausible K', () => {
  it('two Ks equally good whose maps differ in shape: the verdict support is well below 100% and names both', () => {
    // A fork whose two branches lie 2.5 SD apart in one of four features: K=4 draws the fork, K=3 merges the
    // branches into a chain, and the 5 held-out runs cannot tell which is better.
    const hmm = shapedHmm('forking', 4, 1);
    hmm.means[2] = hmm.means[1].map((v, j) => v + (j === 0 ? 2.5 : 0));
    hmm.covars[2] = hmm.covars[1];
    const report = analyzePrepared(sampledPrepared(hmm, 24, 80, 1), {
      kMin: 3,
      kMax: 4,
      restarts: 4,
      stabilityRestarts: 8,
      seed: 1,
    });
    const a = acrossK(report);
    expect(a.ks).toEqual([3, 4]);
    const at = Object.fromEntries(a.perK.map((k) => [k.k, k]));
    expect(at[3].linear).toBe(at[3].comparable);
    expect(at[4].forking).toBe(at[4].comparable);
    expect(at[3].weight + at[4].weight).toBeCloseTo(1, 12);
    expect(a.verdict.support).toBeGreaterThan(0.2);
    expect(a.verdict.support).toBeLessThan(0.8);
    // At the chosen K alone every comparable restart agrees: the doubt is only visible across K.
    const s = report.stability as Exclude<AnalysisReport['stability'], { skipped: string }>;
    expect(s.verdict.support).toBe(1);
    expect(a.fits).toBe(at[3].comparable + at[4].comparable);
    expect(describeVerdict(a)).toBe(
      `${report.map.shape} · ${Math.round(100 * a.verdict.support)}% of ${a.fits} fits, K = 3–4`,
    );
    const caveat = caveatsOf(report).find((w) => w.kind === 'indistinguishable-k');
    expect(caveat?.ks).toEqual([3, 4]);
    expect(caveat?.message).toMatch(/^K = 3–4 are indistinguishable here/);
  });

  it('a clean forking sample keeps its support near 100%', () => {
    for (const seed of [1, 2]) {
      const report = analyzePrepared(sampledPrepared(shapedHmm('forking', 4, seed), 30, 80, seed), {
        kMin: 2,
        kMax: 5,
        restarts: 3,
        stabilityRestarts: 6,
        seed,
      });
      const a = acrossK(report);
      expect(report.map.shape).toBe('forking');
      expect(a.verdict.shape).toBe('forking');
      expect(a.verdict.support).toBeGreaterThanOrEqual(0.9);
      for (const e of a.edges.filter((x) => x.shown)) expect(e.support).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('K is plausible by its chance of being chosen when restarts and held-out runs are redrawn', () => {
    const obs = packSequences(
      sampleGaussianHMM(knownHmm(2, 2, 4), new Array(20).fill(30), createRng(4, 's')).sequences,
    );
    const plan = planSelection(obs, { kMax: 2, restarts: 3 });
    const heldOutLengths = Array.from(plan.heldOutObs.lengths);
    const result = (k: number, restart: number, perRun: number[]): FitJobResult => ({
      job: { k, restart, seed: restart },
      fit: {
        params: toFlat(knownHmm(k, 2, 1)),
        logLikelihoodHistory: [],
        converged: true,
        iterations: 1,
        warnings: [],
      },
      heldOutLogLikelihood: perRun.reduce((x, y) => x + y, 0),
      heldOutPerRun: perRun,
      degenerate: [],
      shape: 'linear',
    });
    const n = heldOutLengths.length;
    expect(n).toBe(4);
    // K=2 beats K=1 by 400 nats on one held-out run and loses 150 on each other: worse in all, unless that run is drawn twice.
    const lucky = [0, 1, 2].flatMap((r) => [
      result(1, r, [-1000, -1000, -1000, -1000]),
      result(2, r, [-600, -1150, -1150, -1150]),
    ]);
    const selection = assembleSelection(plan, lucky);
    const kChoice = assessKChoice(selection, { nFeatures: 2 });
    expect(selection.chosenK).toBe(1);
    // Restarts agree with each other, so resampling them alone sees no doubt…
    expect(kChoice.indistinguishable).toEqual([]);
    // …but drawing the lucky run at least twice of 4 (26% of the time) makes K=2 win.
    const chance = chanceOfEachK(selection, { nFeatures: 2, heldOutLengths, seed: 1 });
    expect(chance.get(1)! + chance.get(2)!).toBeCloseTo(1, 12);
    expect(chance.get(2)).toBeGreaterThan(0.2);
    expect(chance.get(2)).toBeLessThan(0.33);
    const plausible = plausibleKs(selection, kChoice, { nFeatures: 2, heldOutLengths, seed: 1 });
    expect(plausible.map((p) => p.k)).toEqual([1, 2]);
    expect(plausible[0].reasons).toEqual(['chosen']);
    expect(plausible[1].reasons[0]).toMatch(/^chosen in \d+% of the resamples of restarts and held-out runs$/);
    expect(plausible[0].weight + plausible[1].weight).toBeCloseTo(1, 12);
    // A K better on every held-out run leaves no doubt.
    const clear = [0, 1, 2].flatMap((r) => [
      result(1, r, [-1000, -1000, -1000, -1000]),
      result(2, r, [-500, -500, -500, -500]),
    ]);
    const sure = assembleSelection(plan, clear);
    expect(
      plausibleKs(sure, assessKChoice(sure, { nFeatures: 2 }), { nFeatures: 2, heldOutLengths }).map((p) => p.k),
    ).toEqual([2]);
  });

  it('says which Ks: a range when consecutive, a list otherwise', () => {
    expect(formatKs([8, 7])).toBe('7–8');
    expect(formatKs([6])).toBe('6');
    expect(formatKs([3, 4, 6])).toBe('3, 4, 6');
  });
});
