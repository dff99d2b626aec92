import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { describeState, describeStates, formatSd, NOTABLE_SD } from '../../src/explain/stateWords.ts';
import { DEFAULT_FEATURES } from '../../src/io/index.ts';
import { mapReport, mapReportSet } from '../helpers/mapReports.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

/** A linear 3-state report over the 14 metrics whose state means are set by hand. */
function withMeans(means: Record<string, number>[], features: readonly string[] = DEFAULT_FEATURES): AnalysisReport {
  const r = mapReport({ states: means.length, shape: 'linear', features: [...features], seed: 7, stability: false });
  r.model.params.means = means.map((m) => features.map((f) => m[f] ?? 0));
  return r;
}

describe('states in plain words', () => {
  it('a state where weights shrink reads "weights shrink: L2 norm ↓0.6 SD, weight variance ↓0.4 SD"', () => {
    const r = withMeans([{ l2: 1.2, weight_var: 0.9 }, { l2: 0.6, weight_var: 0.5 }, {}]);
    const d = describeState(r, 1);
    expect(d.from).toBe(0);
    expect(d.headline).toBe('weights shrink');
    expect(d.text).toBe('weights shrink: L2 norm ↓0.6 SD, weight variance ↓0.4 SD');
    expect(d.sentence).toBe(
      'State 1, reached from state 0: weights shrink (L2 norm ↓0.6 SD, weight variance ↓0.4 SD).',
    );
    expect(d.changes.map((c) => c.feature)).toEqual(['l2', 'weight_var']);
    expect(d.changes[0].delta).toBeCloseTo(-0.6);
  });

  it('the state runs start in is described by its level against each run’s average', () => {
    const r = withMeans([{ l2: 1.3, bias_mean: -0.8 }, {}, {}]);
    const d = describeState(r, 0);
    expect(d.from).toBeNull();
    expect(d.text).toBe('large weights, low biases: L2 norm +1.3 SD, mean bias −0.8 SD');
    expect(d.short).toBe('large weights');
    expect(d.sentence).toMatch(/^Runs start in state 0: .*, against each run’s average\)\.$/);
  });

  it('ranks changes by size, ignores those under 0.1 SD, and names a group whose members disagree by its largest', () => {
    const r = withMeans([{}, { l1: 0.9, l2: -0.5, bias_mean: 0.05, sv_var: 0.2 }, {}]);
    const d = describeState(r, 1);
    expect(d.changes.map((c) => c.feature)).toEqual(['l1', 'l2', 'sv_var']);
    expect(d.changes.every((c) => Math.abs(c.delta) >= NOTABLE_SD)).toBe(true);
    expect(d.headline).toBe('L1 norm rises');
    const still = describeState(withMeans([{}, { l1: 0.05 }, {}]), 1);
    expect(still.text).toBe('like state 0');
    expect(still.changes).toEqual([]);
  });

  it('columns other than the 14 metrics are named as they are', () => {
    const r = withMeans([{}, { grad_norm: -1.5 }, {}], ['grad_norm', 'l2']);
    expect(describeState(r, 1).text).toBe('grad_norm falls: grad_norm ↓1.5 SD');
  });

  it('on the shipped analysis and sampled maps: every visited state, in first-visit order, its changes the differences of the fitted means', () => {
    for (const report of [sparseParityReport(), ...mapReportSet(DEFAULT_FEATURES).map((x) => x.report)]) {
      const all = describeStates(report);
      const visited = report.map.nodes.filter((n) => n.runs > 0);
      expect(all.map((d) => d.state)).toEqual(
        [...visited].sort((a, b) => a.meanFirstVisit - b.meanFirstVisit).map((n) => n.state),
      );
      for (const d of all) {
        expect(d.changes.length).toBeGreaterThan(0);
        for (const c of d.changes) {
          const i = report.features.indexOf(c.feature);
          const m = report.model.params.means;
          expect(c.delta).toBeCloseTo(d.from === null ? m[d.state][i] : m[d.state][i] - m[d.from][i], 12);
        }
        if (d.from !== null) expect(report.map.edges.some((e) => e.from === d.from && e.to === d.state)).toBe(true);
      }
    }
    expect(formatSd(-0.64)).toBe('↓0.6 SD');
    expect(formatSd(0.64, true)).toBe('+0.6 SD');
  });
});
