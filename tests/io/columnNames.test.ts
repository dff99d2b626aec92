import { describe, expect, it } from 'vitest';
import { analyzeRuns } from '../../src/analysis/index.ts';
import {
  column,
  DEFAULT_FEATURES,
  formatRunsCsv,
  formatRunsJson,
  hasColumn,
  parseRunsCsv,
  parseRunsJson,
  type RunBundle,
} from '../../src/io/index.ts';
import { smallBundle } from '../helpers/bundles.ts';

/** Names every JavaScript object inherits (or treats specially): a column may be called any of them. */
const INHERITED = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'isPrototypeOf',
];

/** smallBundle with its first metric columns renamed to INHERITED, written as a user's file would hold them. */
function renamedCsv(): string {
  const b = smallBundle();
  const header = ['run', 'step', 'eval_acc', ...INHERITED, ...DEFAULT_FEATURES.slice(INHERITED.length)];
  const lines = [header.join(',')];
  for (const run of b.groups[0].runs) {
    const cp = run.checkpoints;
    cp.step.forEach((s, t) =>
      lines.push([run.id, s, cp.eval_acc[t], ...DEFAULT_FEATURES.map((f) => cp[f][t])].join(',')),
    );
  }
  return lines.join('\n') + '\n';
}

function expectColumns(b: RunBundle, reference: RunBundle) {
  for (const [g, group] of b.groups.entries()) {
    for (const [r, run] of group.runs.entries()) {
      const ref = reference.groups[g].runs[r].checkpoints;
      for (const name of INHERITED) {
        expect(hasColumn(run.checkpoints, name), name).toBe(true);
        expect(column(run.checkpoints, name)).toEqual(column(ref, name));
        expect(Object.keys(run.checkpoints)).toContain(name);
      }
    }
  }
}

describe('columns named like inherited members (__proto__, constructor, toString, …)', () => {
  const csv = renamedCsv();
  const fromCsv = parseRunsCsv(csv, 'names.csv');

  it('are read from CSV as ordinary columns', () => {
    const cp = fromCsv.groups[0].runs[0].checkpoints;
    expect(Object.keys(cp).slice(0, 2 + INHERITED.length)).toEqual(['step', 'eval_acc', ...INHERITED]);
    expect(Array.isArray(column(cp, '__proto__'))).toBe(true);
    expect(column(cp, '__proto__')).toHaveLength(120);
    // A name a run does not have is not found, however objects work.
    expect(column(cp, 'propertyIsEnumerable')).toBeUndefined();
    expect(column({ step: [0] }, 'constructor')).toBeUndefined();
  });

  it('survive read → analyze (as chosen features) → write JSON → read → write CSV → read', () => {
    const report = analyzeRuns(fromCsv, { restarts: 1, kMax: 2, seed: 1, features: [...INHERITED, 'spectral'] });
    expect(report.features).toEqual([...INHERITED, 'spectral']);
    expect(report.runs.every((r) => r.included)).toBe(true);
    const exported = parseRunsJson(formatRunsJson({ ...fromCsv, analysis: report }), 'names.analysis.json');
    expectColumns(exported, fromCsv);
    expect((exported.analysis as { features: string[] }).features).toEqual([...INHERITED, 'spectral']);
    const again = parseRunsCsv(formatRunsCsv(exported), 'again.csv');
    expectColumns(again, fromCsv);
    // The same analysis from the re-read JSON: nothing was lost on the way.
    expect(
      analyzeRuns(exported, { restarts: 1, kMax: 2, seed: 1, features: [...INHERITED, 'spectral'] }).model,
    ).toEqual(report.model);
  });

  it('are required like any column, and missing ones are reported by name', () => {
    const noProto = parseRunsCsv(csv.replace('__proto__', 'other'), 'names.csv');
    expect(() => analyzeRuns(noProto, { features: ['__proto__'] })).toThrow(
      /unknown feature '__proto__'; columns in the bundle: step, eval_acc, other, constructor/,
    );
    expect(() => analyzeRuns(smallBundle(), { features: ['constructor'] })).toThrow(/unknown feature 'constructor'/);
    const r = analyzeRuns(fromCsv, {
      restarts: 1,
      kMax: 2,
      seed: 1,
      features: ['constructor', 'toString'],
      accuracyColumn: 'hasOwnProperty',
    });
    expect(r.settings.accuracyColumn).toBe('hasOwnProperty');
    const noAcc = analyzeRuns(smallBundle(), {
      restarts: 1,
      kMax: 2,
      seed: 1,
      features: ['l1', 'l2'],
      accuracyColumn: 'valueOf',
    });
    expect(noAcc.regression).toEqual({
      skipped: "no 'valueOf' column in any run: convergence time and the regression need it",
    });
  });
});
