import { describe, expect, it } from 'vitest';
import type { AnalysisReport, AnalysisWarning } from '../../src/analysis/index.ts';
import { kAtTopCaveat, raisedKMax } from '../../src/analysis/caveats.ts';
import { caveatList, caveatText } from '../../src/explain/caveats.ts';
import { TERMS } from '../../src/explain/glossary.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

const withWarnings = (warnings: AnalysisWarning[], kMax = 8): Pick<AnalysisReport, 'warnings' | 'settings'> => {
  const report = sparseParityReport();
  return { warnings, settings: { ...report.settings, kMax } };
};

describe('caveats as the page lists them', () => {
  it('lists the shipped sample’s caveat in the analysis’s own words, with a term that explains it', () => {
    const report = sparseParityReport();
    const list = caveatList(report);
    expect(list.map((c) => c.kind)).toEqual(['indistinguishable-k']);
    expect(list[0].text).toBe(report.warnings.find((w) => w.kind === 'indistinguishable-k')!.message);
    expect(TERMS[list[0].term].line).toMatch(/cannot choose/);
    expect(list[0].raiseKMax).toBeUndefined();
  });

  it('keeps notes that are not caveats out, and every caveat kind in order', () => {
    const w = (kind: AnalysisWarning['kind'], message = kind): AnalysisWarning => ({ kind, message });
    const list = caveatList(
      withWarnings([
        w('run-excluded'),
        w('degenerate-replaced'),
        w('few-held-out'),
        w('feature-dropped'),
        w('regression-not-significant'),
        w('degenerate-fit'),
      ]),
    );
    expect(list.map((c) => c.kind)).toEqual([
      'degenerate-replaced',
      'few-held-out',
      'regression-not-significant',
      'degenerate-fit',
    ]);
    expect(list.map((c) => c.term)).toEqual(['degenerate', 'held-out', 'f-test-p', 'degenerate']);
    for (const c of list) expect(c.heading.length).toBeGreaterThan(5);
  });

  it('offers the k-max its sentence names for a K at the top of the range, within the settings’ bound', () => {
    const report = sparseParityReport();
    const settings = { ...report.settings, states: 'auto' as const, kMax: 8, kMin: 1 };
    const [top] = kAtTopCaveat(8, settings);
    const [c] = caveatList({ warnings: [top], settings });
    expect(c.raiseKMax).toBe(raisedKMax(8));
    expect(c.text).toContain(`--k-max ${c.raiseKMax}`);
    expect(caveatList(withWarnings([top], 28))[0].raiseKMax).toBe(30);
    expect(caveatList(withWarnings([top], 30))[0].raiseKMax).toBeUndefined();
  });

  it('escapes what could drive a terminal and cuts a long sentence', () => {
    const text = caveatText({ kind: 'few-held-out', message: `run \u001b[31mred ${'x'.repeat(1000)}` });
    expect(text).not.toContain('\u001b');
    expect(text.length).toBeLessThan(500);
  });
});
