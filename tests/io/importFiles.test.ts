import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRuns, type AnalysisReport } from '../../src/analysis/index.ts';
import {
  detectFormat,
  formatRunsCsv,
  formatRunsJson,
  importFiles,
  naturalCompare,
  parseRunsCsv,
  readBundleText,
} from '../../src/io/index.ts';
import { smallBundle } from '../helpers/bundles.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures');
const folderFiles = (name: string) =>
  readdirSync(join(fixtures, name)).map((f) => ({
    name: join(fixtures, name, f),
    text: readFileSync(join(fixtures, name, f), 'utf8'),
  }));

/** What an analysis says about the runs, without the names of the groups they came in. */
function analysisOf(r: AnalysisReport) {
  return { ...r, runs: r.runs.map(({ group: _g, seed: _s, ...rest }) => rest) };
}

describe('importing files of any format Trainmap reads', () => {
  it('recognizes each format from the content', () => {
    const csv = formatRunsCsv(smallBundle(2, 5));
    expect(detectFormat({ name: 'a.csv', text: csv })).toBe('trainmap-csv');
    expect(detectFormat({ name: 'a.json', text: formatRunsJson(smallBundle(2, 5)) })).toBe('trainmap-json');
    expect(detectFormat({ name: 'bundle', text: '  {"format": "trainmap.runs/1"}' })).toBe('trainmap-json');
    expect(detectFormat({ name: 'seed0.csv', text: ',l1,code_sparsity,step\n0,1,2,3' })).toBe('authors-csv');
    expect(detectFormat({ name: 'run-a-tag-b.csv', text: 'Wall time,Step,Value\n1,2,3' })).toBe('tensorboard-csv');
    expect(() => detectFormat({ name: 'x.csv', text: 'a,b\n1,2' })).toThrow(
      "x.csv, line 1: not a format Trainmap reads (header: a,b); expected a long table with a run column (run, run_id, seed) and a step column (step, global_step, iteration, epoch), the authors' per-run CSV (,l1,l2,trace,…,step), a TensorBoard export (Wall time,Step,Value) or event file, or a W&B chart export (Step, <run> - <metric>, …)",
    );
    expect(() => detectFormat({ name: 'x.csv', text: '\n\n' })).toThrow('x.csv: the file is empty');
  });

  it("one file of the authors' or TensorBoard's reads as a one-run bundle, also through readBundleText", () => {
    const [first] = folderFiles('authors-format');
    const b = readBundleText(first.text, first.name);
    expect(b.groups[0].runs.map((r) => r.id)).toEqual(['seed0']);
    expect(Object.keys(b.groups[0].runs[0].checkpoints)).toContain('l1_over_l2');
    const tb = readBundleText('Wall time,Step,Value\n1,10,0.5\n', 'run-x-tag-l2.csv');
    expect(tb.groups[0].runs[0]).toEqual({ id: 'x', seed: null, checkpoints: { step: [10], l2: [0.5] } });
    // Our own CSV still goes through its own reader and its own messages.
    expect(() => readBundleText('a,b\n1,2\n', 'x.csv')).toThrow("x.csv, line 1: missing required column 'run'");
  });

  it('a folder must hold one format; our bundles come one at a time', () => {
    const mixed = [...folderFiles('authors-format').slice(0, 1), ...folderFiles('tensorboard-format').slice(0, 1)];
    expect(() => importFiles(mixed)).toThrow(
      /run-seed0-tag-eval_accuracy\.csv: is TensorBoard scalar CSV exports .*, but .*seed0\.csv is the authors' per-run CSV format .*; a folder or list of files must hold one format/,
    );
    const most = [...folderFiles('authors-format'), ...folderFiles('tensorboard-format').slice(0, 1)];
    expect(() => importFiles(most)).toThrow(
      /run-seed0-tag-eval_accuracy\.csv: is TensorBoard scalar CSV exports .*, but 6 other files \(.*seed0\.csv, …\) are the authors' per-run CSV format/,
    );
    const two = [
      { name: 'a.csv', text: formatRunsCsv(smallBundle(2, 5)) },
      { name: 'b.csv', text: formatRunsCsv(smallBundle(2, 5)) },
    ];
    expect(() => importFiles(two)).toThrow(
      'b.csv: a.csv is already a Trainmap long CSV bundle holding all its runs; pass one bundle file, or a folder of per-run files',
    );
    expect(() => importFiles([])).toThrow('no files to import');
  });

  it('sorts files naturally, so seed2 comes before seed10', () => {
    expect(['seed10.csv', 'seed2.csv', 'seed1.csv'].sort(naturalCompare)).toEqual([
      'seed1.csv',
      'seed2.csv',
      'seed10.csv',
    ]);
    expect(['b', 'a10', 'a9'].sort(naturalCompare)).toEqual(['a9', 'a10', 'b']);
  });

  it("the authors' per-run files analyze exactly like the same data in our long format", () => {
    const options = { kMax: 3, restarts: 2, stabilityRestarts: 4, seed: 3 };
    const imported = importFiles(folderFiles('authors-format'), 'authors-format');
    const long = parseRunsCsv(readFileSync(join(fixtures, 'authors-format.csv'), 'utf8'), 'authors-format.csv');
    const a = analyzeRuns(imported.bundle, options);
    expect(analysisOf(a)).toEqual(analysisOf(analyzeRuns(long, options)));
    expect(a.runs.filter((r) => r.included)).toHaveLength(6);
    expect(a.features).toHaveLength(14);
  });

  it('TensorBoard exports analyze exactly like the same data in our long format', () => {
    const options = {
      kMax: 3,
      restarts: 2,
      stabilityRestarts: 4,
      seed: 3,
      features: ['l1', 'l2', 'trace', 'spectral'],
    };
    const imported = importFiles(folderFiles('tensorboard-format'), 'tensorboard-format');
    const long = parseRunsCsv(readFileSync(join(fixtures, 'tensorboard-format.csv'), 'utf8'), 'tensorboard-format.csv');
    const a = analyzeRuns(imported.bundle, options);
    expect(analysisOf(a)).toEqual(analysisOf(analyzeRuns(long, options)));
    // eval_accuracy became our eval_acc, so convergence and the regression ran.
    expect('skipped' in a.regression).toBe(false);
  });
});
