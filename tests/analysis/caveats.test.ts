import { describe, expect, it } from 'vitest';
import {
  analyzeRuns,
  CAVEAT_KINDS,
  caveatsOf,
  resolveSettings,
  type AnalysisWarning,
  type PlausibleK,
} from '../../src/analysis/index.ts';
import {
  fewHeldOutCaveat,
  indistinguishableKCaveat,
  kAtTopCaveat,
  regressionCaveat,
} from '../../src/analysis/caveats.ts';
import { smallBundle } from '../helpers/bundles.ts';

const settings = (o: Parameters<typeof resolveSettings>[0]) => resolveSettings(o, ['f']);

describe('caveats as structured entries', () => {
  it('K at the top of the searched range, and only when K was searched', () => {
    expect(kAtTopCaveat(8, settings({}))).toEqual([
      {
        kind: 'k-at-top',
        k: 8,
        message:
          'K=8 is the top of the searched range (k-max 8): a larger K may fit better; raise k-max (--k-max 12) to find out',
      },
    ]);
    expect(kAtTopCaveat(7, settings({}))).toEqual([]);
    expect(kAtTopCaveat(3, settings({ states: 3 }))).toEqual([]);
    expect(kAtTopCaveat(3, settings({ kMin: 3, kMax: 3 }))).toEqual([]);
  });

  it('indistinguishable Ks name every plausible K and why', () => {
    const p = (k: number, chosen: boolean, reasons: string[]): PlausibleK => ({
      k,
      chosen,
      chance: 0.5,
      restartShare: 0.5,
      weight: 0.5,
      reasons,
    });
    expect(indistinguishableKCaveat(7, [p(7, true, ['chosen'])])).toEqual([]);
    const [c] = indistinguishableKCaveat(8, [
      p(8, true, ['chosen']),
      p(7, false, ['wins 21% of the restart resamples']),
    ]);
    expect(c.kind).toBe('indistinguishable-k');
    expect(c.ks).toEqual([7, 8]);
    expect(c.message).toBe(
      'K = 7–8 are indistinguishable here (K=7: wins 21% of the restart resamples); the map is drawn at K=8, and its supports count the comparable fits at every one of these K',
    );
  });

  it('a regression that is not significant, and too few held-out runs', () => {
    const reg = {
      coefficients: [],
      states: [],
      rSquared: 0.1,
      fPValue: 0.31,
      dfModel: 1,
      dfResid: 10,
      fitted: [],
      significant: false,
    };
    expect(regressionCaveat(reg)).toMatchObject([{ kind: 'regression-not-significant', pValue: 0.31 }]);
    expect(regressionCaveat({ ...reg, fPValue: 0.01, significant: true })).toEqual([]);
    expect(regressionCaveat({ skipped: 'no accuracy' })).toEqual([]);
    expect(fewHeldOutCaveat(10, 2)).toMatchObject([{ kind: 'few-held-out', heldOutRuns: 2 }]);
    expect(fewHeldOutCaveat(40, 8)).toEqual([]);
  });

  it('an analysis lists its caveats among its warnings, each of a caveat kind', () => {
    // 10 runs: 2 held out; K searched up to 2, and 2 chosen.
    const report = analyzeRuns(smallBundle(10, 120), { restarts: 2, kMax: 2, stabilityRestarts: 3 });
    const caveats = caveatsOf(report);
    const kinds = caveats.map((w: AnalysisWarning) => w.kind);
    expect(kinds).toContain('few-held-out');
    expect(kinds).toContain('k-at-top');
    for (const k of kinds) expect(CAVEAT_KINDS).toContain(k);
    expect(
      report.warnings.filter((w) => !caveats.includes(w)).every((w) => !CAVEAT_KINDS.includes(w.kind as never)),
    ).toBe(true);
  });
});
