import { describe, expect, it } from 'vitest';
import {
  analyzePrepared,
  assessStability,
  decodeObservations,
  fromFlat,
  matchStatesByOverlap,
  packSequences,
  pairedZ,
  planSelection,
  runJobsHere,
  spread,
  subsetObservations,
  type AnalysisReport,
  type StabilityReport,
} from '../../src/analysis/index.ts';
import { alternatingPrepared, sampledPrepared, shapedHmm } from '../helpers/sampledRuns.ts';

function stabilityOf(report: AnalysisReport): StabilityReport {
  const s = report.stability;
  if ('skipped' in s) throw new Error(`stability skipped: ${s.skipped}`);
  return s;
}

const quick = { states: 4, restarts: 3, stabilityRestarts: 12 };

describe('stability of the map across restarts', () => {
  it('a sampled forking HMM gives fork support near 1, and every fork edge is supported', () => {
    for (const seed of [1, 2]) {
      const report = analyzePrepared(sampledPrepared(shapedHmm('forking', 4, seed), 24, 80, seed), { ...quick, seed });
      const s = stabilityOf(report);
      expect(report.map.shape).toBe('forking');
      expect(s.verdict.shape).toBe('forking');
      expect(s.comparable).toBeGreaterThanOrEqual(3);
      expect(s.verdict.support).toBeGreaterThanOrEqual(0.9);
      // 0 forks to two states that both lead to the last one.
      const out0 = report.map.edges.filter((e) => e.from === 0);
      expect(out0).toHaveLength(2);
      for (const e of report.map.edges)
        expect(s.edges.find((x) => x.from === e.from && x.to === e.to)!.support).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('a sampled linear HMM gives linear support near 1', () => {
    for (const seed of [1, 3]) {
      const report = analyzePrepared(sampledPrepared(shapedHmm('linear', 4, seed), 24, 80, seed), { ...quick, seed });
      const s = stabilityOf(report);
      expect(report.map.shape).toBe('linear');
      expect(report.map.order).toEqual([0, 1, 2, 3]);
      expect(s.verdict.support).toBeGreaterThanOrEqual(0.9);
      expect(s.edges.filter((e) => e.shown).map((e) => [e.from, e.to, e.support])).toEqual([
        [0, 1, 1],
        [1, 2, 1],
        [2, 3, 1],
      ]);
      // Restarts that land elsewhere are counted, not hidden.
      expect(s.verdict.all.fits).toBe(12);
      expect(s.verdict.all.linear + s.verdict.all.forking).toBe(12);
    }
  });

  it('describes every restart against the shown fit: gap, paired z, matching, agreement', () => {
    const report = analyzePrepared(sampledPrepared(shapedHmm('linear', 4, 1), 24, 80, 1), { ...quick, seed: 1 });
    const s = stabilityOf(report);
    expect(s.fits).toHaveLength(12);
    expect(s.fits.map((f) => f.restart).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    const shown = s.fits.filter((f) => f.shown);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ restart: s.shownRestart, agreement: 1, comparable: true });
    expect(s.fits[0].gapPerCheckpoint).toBe(0);
    for (const f of s.fits) {
      expect(f.comparable).toBe(f.gapPerCheckpoint <= s.comparableWithin);
      expect([...f.matchedTo].sort()).toEqual([0, 1, 2, 3]);
      if (f.comparable) expect(f.agreement).toBeGreaterThan(0.9);
    }
    expect(s.comparable).toBe(s.fits.filter((f) => f.comparable || f.shown).length);
    expect(s.rSquared!.min).toBeLessThanOrEqual(s.rSquared!.median);
    expect(s.dissimilarity.labelFree.max).toBeGreaterThanOrEqual(s.dissimilarity.labelFree.min);
    // Model selection had 3 restarts; the stability pass fitted restarts 3..11 at the same K.
    expect(report.selection.rows[0].restarts).toHaveLength(3);
    expect(report.model.params).toBeDefined();
  });

  it('is skipped, and says why, with no stability restarts', () => {
    const report = analyzePrepared(sampledPrepared(shapedHmm('linear', 4, 1), 12, 60, 1), {
      states: 4,
      restarts: 2,
      stabilityRestarts: 0,
    });
    expect(report.stability).toMatchObject({ skipped: expect.stringMatching(/--stability-restarts 0/) });
    expect(report.stability.kChoice.chosenK).toBe(4);
  });
});

describe('the guard against an alternation artifact', () => {
  // The middle phase swings ±0.5 in f0 at every checkpoint: some 4-state fits split it into two states
  // that alternate, slightly likelier on held-out runs than the clean fits that keep it whole.
  const data = () => alternatingPrepared(20, 120, 0.5, 1);
  const options = { states: 4, restarts: 5, stabilityRestarts: 12, seed: 1 };

  it('flags the alternating pair in the shown fit when the guard is off', () => {
    const report = analyzePrepared(data(), { ...options, avoidDegenerate: false });
    const s = stabilityOf(report);
    expect(s.shownRestart).toBe(s.bestRestart);
    const shown = s.fits.find((f) => f.shown)!;
    expect(shown.degenerate.map((d) => d.kind)).toContain('alternation');
    const w = report.warnings.filter((x) => x.kind === 'degenerate-fit');
    expect(w).toHaveLength(1);
    expect(w[0].states).toHaveLength(2);
    expect(w[0].message).toMatch(
      /^the shown fit is degenerate: states \d and \d alternate .*the guard against degenerate fits is off/,
    );
  });

  it('shows the best clean fit instead when it is within the tolerance, and says so', () => {
    const report = analyzePrepared(data(), options);
    const s = stabilityOf(report);
    expect(s.shownRestart).not.toBe(s.bestRestart);
    const shown = s.fits.find((f) => f.shown)!;
    expect(shown.degenerate).toEqual([]);
    expect(shown.gapPerCheckpoint).toBeGreaterThan(0);
    expect(shown.gapPerCheckpoint).toBeLessThanOrEqual(s.comparableWithin);
    expect(s.fits.find((f) => f.restart === s.bestRestart)!.degenerate.length).toBeGreaterThan(0);
    // Every fit above the shown one is degenerate: it is the best clean fit.
    for (const f of s.fits.filter((x) => x.heldOutLogLikelihood > shown.heldOutLogLikelihood))
      expect(f.degenerate.length).toBeGreaterThan(0);
    const w = report.warnings.filter((x) => x.kind === 'degenerate-replaced');
    expect(report.warnings.filter((x) => x.kind === 'degenerate-fit')).toEqual([]);
    expect(w).toHaveLength(1);
    expect([w[0].restart, w[0].replacedBy]).toEqual([s.bestRestart, s.shownRestart]);
    expect(w[0].message).toMatch(
      new RegExp(
        `the restart with the best held-out likelihood \\(restart ${s.bestRestart}\\) is degenerate .*restart ${s.shownRestart}, 0\\.\\d{3} nats per held-out checkpoint below it and without degenerate states, is shown instead`,
      ),
    );
  });

  it('keeps the degenerate best and flags it when no clean fit is within a tighter tolerance', () => {
    const report = analyzePrepared(data(), { ...options, comparableWithin: 0.05 });
    const s = stabilityOf(report);
    expect(s.shownRestart).toBe(s.bestRestart);
    const w = report.warnings.filter((x) => x.kind === 'degenerate-fit');
    expect(w.map((x) => x.message).join('\n')).toMatch(
      /the shown fit is degenerate: .* is 0\.\d{3} nats per held-out checkpoint worse, beyond the 0\.050 nats per held-out checkpoint tolerance/,
    );
  });
});

describe('matching states by means or by Viterbi overlap', () => {
  it('gives the same supports on well-separated states, and rejects a shown restart it was not given', () => {
    const prep = sampledPrepared(shapedHmm('forking', 4, 2), 20, 60, 2);
    const obs = packSequences(prep.z);
    const plan = planSelection(obs, { states: 4, restarts: 8, seed: 2 });
    const fits = runJobsHere(plan, plan.jobs);
    const all = subsetObservations(obs, [...plan.train, ...plan.heldOut]);
    const best = fits.reduce((a, b) => (b.heldOutLogLikelihood > a.heldOutLogLikelihood ? b : a));
    const input = {
      k: 4,
      fits,
      shownRestart: best.job.restart,
      shownOrder: [0, 1, 2, 3],
      shownParams: fromFlat(best.fit!.params),
      shownPaths: decodeObservations(best.fit!.params, all).map((p) => Array.from(p)),
      shownDetours: [],
      obs: all,
      nHeldOutObservations: plan.heldOutObs.nObservations,
    };
    const byMeans = assessStability({ ...input, matching: 'means' });
    const byOverlap = assessStability({ ...input, matching: 'overlap' });
    expect(byMeans.matching).toBe('means');
    expect(byOverlap.matching).toBe('overlap');
    expect(byOverlap.edges).toEqual(byMeans.edges);
    expect(byOverlap.verdict).toEqual(byMeans.verdict);
    expect(byMeans.fits.filter((f) => f.comparable).every((f) => f.agreement > 0.9)).toBe(true);
    expect(() => assessStability({ ...input, shownRestart: 99 })).toThrow(
      'stability: the shown restart 99 is not among the fits',
    );
  });
});

describe('stability helpers', () => {
  it('matches states by the checkpoints two fits share', () => {
    const ref = [
      [0, 0, 1, 1, 2, 2],
      [0, 1, 1, 2, 2, 2],
    ];
    // The candidate calls reference state 0 "2", 1 "0" and 2 "1", with one checkpoint disagreeing.
    const cand = [
      [2, 2, 0, 0, 1, 1],
      [2, 2, 0, 1, 1, 1],
    ];
    expect(matchStatesByOverlap(ref, cand, 3, 3)).toEqual([2, 0, 1]);
    expect(() => matchStatesByOverlap(ref, [cand[0]], 3, 3)).toThrow(/2 reference paths but 1 candidate/);
  });

  it('computes the paired z of a held-out gap and spreads', () => {
    expect(pairedZ([10, 10, 10], [9, 9, 9])).toBe(Infinity);
    expect(pairedZ([10, 10], [10, 10])).toBe(0);
    // Differences 1, 3: mean 2, sd √2, SE of the sum √2·√2 = 2, gap 4 → z = 2.
    expect(pairedZ([11, 13], [10, 10])).toBeCloseTo(2, 12);
    expect(pairedZ([1], [0])).toBeNaN();
    expect(spread([3, 1, 2, NaN])).toEqual({ min: 1, median: 2, max: 3 });
    expect(spread([4, 1])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(spread([])).toEqual({ min: NaN, median: NaN, max: NaN });
  });
});
