import { describe, expect, it } from 'vitest';
import { analyzeRuns, caveatsOf, describeVerdict } from '../../src/analysis/index.ts';
import { parseRunsCsv, formatRunsCsv, type RunBundle } from '../../src/io/index.ts';
import { formatSummary } from '../../src/cli/summary.ts';
import { smallBundle } from '../helpers/bundles.ts';
import { RAW_CONTROL } from '../helpers/controls.ts';

const quick = { restarts: 1, kMax: 2, seed: 1 };
/** Control characters other than the summary's own line breaks. */
const RAW_BUT_NEWLINE = new RegExp(RAW_CONTROL.source.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f'));

describe('the CLI summary', () => {
  it('shows hostile run ids escaped and cut: ANSI colours, OSC titles, BEL, NUL, a 10 MB id', () => {
    const b: RunBundle = structuredClone(smallBundle());
    const ids = [
      '\u001b[31mred\u001b[0m',
      '\u001b]0;owned\u0007',
      'nul\u0000bel\u0007',
      'r'.repeat(10 * 2 ** 20),
      '\u202Eevil',
    ];
    ids.forEach((id, i) => (b.groups[0].runs[i].id = id));
    // Make them appear in the summary: exclude them (a non-finite metric).
    ids.forEach((_, i) => (b.groups[0].runs[i].checkpoints.l1[3] = NaN));
    const text = formatSummary(analyzeRuns(b, quick), 'runs\u001b[2J.csv');
    expect(text).not.toMatch(RAW_BUT_NEWLINE);
    expect(text).toContain('\\x1B[31mred\\x1B[0m: diverged or missing data: l1 is NaN at step 30');
    expect(text).toContain('\\x1B]0;owned\\x07');
    expect(text).toContain('nul\\x00bel\\x07');
    expect(text).toContain('\\u202Eevil');
    expect(text).toContain('Trainmap analysis of runs\\x1B[2J.csv');
    expect(text).toMatch(/r{20,}…\(10485760 characters\): diverged/);
    expect(text.length).toBeLessThan(20_000);
  });

  it('tables print one row per line: their line breaks are not escaped with the hostile text', () => {
    const text = formatSummary(analyzeRuns(smallBundle(), quick), 'runs.csv');
    expect(text).not.toContain('\\n');
    const lines = text.split('\n');
    const header = lines.findIndex((l) => /^ {5}K {2}params {2}held-out LL/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^ {2}[* ] {2}1 /);
    expect(lines.find((l) => /^ {2}state {2}occupancy/.test(l))).toBeDefined();
  });

  it('a run without the accuracy column gets its own line; many such runs are summarized', () => {
    const b: RunBundle = structuredClone(smallBundle());
    delete (b.groups[0].runs[4].checkpoints as Record<string, number[]>).eval_acc;
    const one = formatSummary(analyzeRuns(b, quick), 'runs.csv');
    expect(one).toContain(
      "  run seed-4 has no column 'eval_acc': its convergence time is unknown, so the regression and detours are skipped",
    );
    expect(one).toContain(
      "Regression of convergence time: skipped (no 'eval_acc' column in run seed-4: convergence time and the regression need it)",
    );
    for (const r of b.groups[0].runs.slice(0, 12)) delete (r.checkpoints as Record<string, number[]>).eval_acc;
    const many = formatSummary(analyzeRuns(b, quick), 'runs.csv');
    expect(many.match(/has no column 'eval_acc'/g)).toHaveLength(8);
    expect(many).toContain(
      '… and 4 more notes like the no-accuracy-column ones above (every one is in the analysis file)',
    );
    const none = structuredClone(smallBundle());
    for (const r of none.groups[0].runs) delete (r.checkpoints as Record<string, number[]>).eval_acc;
    expect(formatSummary(analyzeRuns(none, quick), 'runs.csv')).toMatch(
      /\n {2}no run has the accuracy column 'eval_acc': convergence times, the regression and detours are skipped/,
    );
  });

  it('steps that were out of order in the file are a note', () => {
    const csv = formatRunsCsv(smallBundle()).split('\n');
    // Swap two rows of seed-0 (lines 2 and 3 of the file).
    [csv[1], csv[2]] = [csv[2], csv[1]];
    const b = parseRunsCsv(csv.join('\n'), 'runs.csv');
    const report = analyzeRuns(b, quick);
    expect(report.warnings.filter((w) => w.kind === 'steps-reordered')).toEqual([
      {
        kind: 'steps-reordered',
        run: 'seed-0',
        message: "run 'seed-0': rows were not in step order (line 3: step 0 after step 10); they were sorted by step",
      },
    ]);
    expect(formatSummary(report, 'runs.csv')).toContain(
      "Notes:\n  run 'seed-0': rows were not in step order (line 3: step 0 after step 10); they were sorted by step",
    );
  });

  it('says what the exported analysis says: the support across K, and every caveat under its own heading', () => {
    const report = analyzeRuns(smallBundle(10, 120), { restarts: 2, kMax: 2, stabilityRestarts: 3 });
    const text = formatSummary(report, 'runs.csv');
    const s = report.stability as Exclude<typeof report.stability, { skipped: string }>;
    expect(text).toContain(`Support across the plausible K`);
    expect(text).toContain(`verdict ${describeVerdict(s.acrossK!)}`);
    const caveats = caveatsOf(report);
    expect(caveats.map((c) => c.kind)).toEqual(expect.arrayContaining(['few-held-out', 'k-at-top']));
    const block = text.slice(text.indexOf('Caveats (how far to trust this map):'));
    for (const c of caveats) expect(block).toContain(c.message);
    // A caveat is not repeated among the notes.
    const notes = text.slice(text.indexOf('\nNotes:'));
    for (const c of caveats) expect(notes.includes(c.message)).toBe(false);
  });
});
