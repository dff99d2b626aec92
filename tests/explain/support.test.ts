import { describe, expect, it } from 'vitest';
import {
  edgeSupport,
  kRange,
  otherEdges,
  supportBasis,
  supportText,
  verdictSupport,
} from '../../src/explain/support.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

describe('support', () => {
  it('says how many fits a share rests on and over which K', () => {
    expect(supportText(0.62, { fits: 31, ks: [7, 8] })).toBe('62% of 31 fits, K = 7–8');
    expect(supportText(1, { fits: 1, ks: [6] })).toBe('100% of 1 fit, K = 6');
    expect(kRange([8, 5, 6])).toBe('K = 5, 6, 8');
    expect(kRange([4, 3])).toBe('K = 3–4');
  });

  it('reads the report’s stability, and nothing when it was skipped', () => {
    const report = sparseParityReport();
    const st = report.stability as {
      comparable: number;
      k: number;
      verdict: { support: number };
      acrossK?: { fits: number; ks: number[]; verdict: { support: number } };
    };
    // Across the plausible K, as the CLI summary prints it (the shipped sample: K = 6 and 8).
    expect(supportBasis(report)).toEqual({ fits: st.acrossK!.fits, ks: st.acrossK!.ks });
    expect(supportBasis(report)!.ks).toEqual([6, 8]);
    expect(verdictSupport(report)).toBe(st.acrossK!.verdict.support);
    const across = (report.stability as { acrossK: { edges: { shown: boolean }[] } }).acrossK;
    expect(otherEdges(report)).toEqual(across.edges.filter((e) => !e.shown));
    // An analysis made before supports across K: the comparable restarts at the chosen K.
    const older = structuredClone(report);
    delete (older.stability as { acrossK?: unknown }).acrossK;
    expect(supportBasis(older)).toEqual({ fits: st.comparable, ks: [st.k] });
    expect(verdictSupport(older)).toBe(st.verdict.support);
    const e = report.map.edges[0];
    expect(edgeSupport(report, e.from, e.to)).toBeGreaterThan(0);
    const skipped = { ...report, stability: { skipped: 'off', kChoice: report.stability.kChoice } };
    expect(supportBasis(skipped)).toBeNull();
    expect(verdictSupport(skipped)).toBeNull();
    expect(edgeSupport(skipped, e.from, e.to)).toBeUndefined();
  });
});
