import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  formatRunsCsv,
  formatRunsJson,
  importBytes,
  ImportError,
  importFiles,
  naturalCompare,
  readBundleText,
} from '../../src/io/index.ts';
import { smallBundle } from '../helpers/bundles.ts';
import { expectLikeTwin, QUICK } from '../helpers/importFixtures.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures');
const folderFiles = (name: string) =>
  readdirSync(join(fixtures, name)).map((f) => ({
    name: join(fixtures, name, f),
    text: readFileSync(join(fixtures, name, f), 'utf8'),
  }));

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
    const imported = importFiles(folderFiles('authors-format'), 'authors-format');
    const a = expectLikeTwin(imported.bundle, 'authors-format.csv');
    expect(a.runs.filter((r) => r.included)).toHaveLength(6);
    expect(a.features).toHaveLength(14);
  });

  it('TensorBoard exports analyze exactly like the same data in our long format', () => {
    const imported = importFiles(folderFiles('tensorboard-format'), 'tensorboard-format');
    const a = expectLikeTwin(imported.bundle, 'tensorboard-format.csv', {
      ...QUICK,
      features: ['l1', 'l2', 'trace', 'spectral'],
    });
    // eval_accuracy became our eval_acc, so convergence and the regression ran.
    expect('skipped' in a.regression).toBe(false);
  });
});

describe('partial imports', () => {
  const authors = () => folderFiles('authors-format');
  const broken = (name: string) => ({ name, text: ',l1,code_sparsity,step\n0,1,2,0\n1,x,2,1\n' });

  it('refuses by default, listing every file that cannot be read and how many runs could be', () => {
    const files = [...authors(), broken('seed8.csv'), { name: 'notes.csv', text: 'a,b\n1,2\n' }];
    let error: ImportError | undefined;
    try {
      importFiles(files, 'g');
    } catch (e) {
      error = e as ImportError;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect(error!.readable).toBe(6);
    expect(error!.problems.map((p) => p.file)).toEqual(['notes.csv', 'seed8.csv']);
    // Without the stray file: the bad run is the only problem.
    try {
      importFiles([...authors(), broken('seed8.csv')], 'g');
    } catch (e) {
      error = e as ImportError;
    }
    expect(error!.readable).toBe(6);
    expect(error!.message).toBe(
      "1 file of this import cannot be read: seed8.csv, line 3, column 2: 'x' in column 'l1' is not a number; the other 6 runs can be read",
    );
  });

  it('with skipBad reads the rest and lists what it left out; nothing is dropped silently', () => {
    const r = importFiles([...authors(), broken('seed8.csv'), { name: 'notes.csv', text: 'a,b\n1,2\n' }], 'g', {
      skipBad: true,
    });
    expect(r.bundle.groups[0].runs.map((x) => x.id)).toEqual(['seed0', 'seed1', 'seed2', 'seed3', 'seed4', 'seed5']);
    expect(r.skipped).toEqual([
      {
        file: 'notes.csv',
        message: expect.stringMatching(/^notes\.csv, line 1: not a format Trainmap reads/) as unknown as string,
      },
      { file: 'seed8.csv', message: "seed8.csv, line 3, column 2: 'x' in column 'l1' is not a number" },
    ]);
    expect(r.notes.at(-1)).toMatch(
      /^left out 2 files or runs that cannot be read: notes\.csv, line 1: .*; seed8\.csv, line 3/,
    );
    // When nothing can be read, skipBad does not make an empty import.
    expect(() => importFiles([broken('seed8.csv')], 'g', { skipBad: true })).toThrow(
      "seed8.csv, line 3, column 2: 'x' in column 'l1' is not a number",
    );
  });

  it('a gzip that does not decompress is a problem like any other', async () => {
    const bytes = (t: string) => new TextEncoder().encode(t);
    const files = [
      ...authors().map((f) => ({ name: f.name, bytes: bytes(f.text) })),
      { name: 'seed9.csv.gz', bytes: Uint8Array.from([0x1f, 0x8b, 1, 2, 3]) },
    ];
    await expect(importBytes(files, 'g')).rejects.toThrow(
      /^1 file of this import cannot be read: seed9\.csv\.gz: the file is gzip-compressed but does not decompress/,
    );
    const r = await importBytes(files, 'g', { skipBad: true });
    expect(r.bundle.groups[0].runs).toHaveLength(6);
    expect(r.skipped.map((p) => p.file)).toEqual(['seed9.csv.gz']);
  });
});
