import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainmap } from '../helpers/cli.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures');
const dir = mkdtempSync(join(tmpdir(), 'trainmap-import-'));
const quick = [
  '--k-max',
  '3',
  '--restarts',
  '2',
  '--stability-restarts',
  '4',
  '--seed',
  '3',
  '--workers',
  '0',
  '--quiet',
];

/** The analysis of an exported file, without the group names its runs came under. */
function analysisIn(file: string) {
  const a = JSON.parse(readFileSync(file, 'utf8')).analysis;
  return { ...a, runs: a.runs.map(({ group: _g, seed: _s, ...rest }: Record<string, unknown>) => rest) };
}

describe('trainmap analyze on a folder of per-run files', () => {
  it("recognizes the authors' per-run CSVs, prints the mapping and analyzes them exactly like the long format", () => {
    const folder = join(dir, 'authors-format');
    cpSync(join(fixtures, 'authors-format'), folder, { recursive: true });
    writeFileSync(join(folder, 'README.txt'), 'notes about these runs\n');
    const r = trainmap(['analyze', folder, ...quick]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "import: read 6 files in the authors' per-run CSV format (michahu/modeling-training, one file per seed); run ids from the file names",
    );
    expect(r.stdout).toContain(
      'import: columns mapped: code_sparsity → l1_over_l2, computational_sparsity → trace_over_spectral, mean_lambda → sv_mean',
    );
    expect(r.stdout).toContain('import: left out 1 file that holds no runs: README.txt');
    expect(r.stdout).toContain(`Analysis written to ${folder}.analysis.json`);
    const long = join(dir, 'authors-format.csv');
    cpSync(join(fixtures, 'authors-format.csv'), long);
    const l = trainmap(['analyze', long, ...quick, '--out', join(dir, 'long.analysis.json')]);
    expect(l.code).toBe(0);
    expect(analysisIn(`${folder}.analysis.json`)).toEqual(analysisIn(join(dir, 'long.analysis.json')));
  });

  it('reads TensorBoard exports given as several files, and says which rows it left out', () => {
    const src = join(fixtures, 'tensorboard-format');
    const files = readdirSync(src).map((f) => join(src, f));
    const out = join(dir, 'tb.analysis.json');
    const r = trainmap(['analyze', ...files, ...quick, '--features', 'l1,l2,trace,spectral', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('import: read 25 files as TensorBoard scalar CSV exports');
    expect(r.stdout).toContain('tags → columns: eval_accuracy → eval_acc, l1, l2, spectral, trace');
    expect(r.stdout).toContain("import: run seed1: 1 row of 'l1' left out");
    const long = trainmap([
      'analyze',
      join(fixtures, 'tensorboard-format.csv'),
      ...quick,
      '--features',
      'l1,l2,trace,spectral',
      '--out',
      join(dir, 'tb-long.analysis.json'),
    ]);
    expect(long.code).toBe(0);
    expect(analysisIn(out)).toEqual(analysisIn(join(dir, 'tb-long.analysis.json')));
  });

  it('a file whose run and tag cannot be told, or a folder of mixed formats, gets a clear message', () => {
    const bad = join(dir, 'bad-tb');
    cpSync(join(fixtures, 'tensorboard-format'), bad, { recursive: true });
    writeFileSync(join(bad, 'loss.csv'), 'Wall time,Step,Value\n1,2,3\n');
    const r = trainmap(['analyze', bad, ...quick]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${join(bad, 'loss.csv')}: cannot tell the run and the tag from the file name 'loss.csv'`,
    );
    const mixed = join(dir, 'mixed');
    cpSync(join(fixtures, 'authors-format'), mixed, { recursive: true });
    cpSync(join(fixtures, 'tensorboard-format', 'run-seed0-tag-l1.csv'), join(mixed, 'run-seed0-tag-l1.csv'));
    const m = trainmap(['analyze', mixed, ...quick]);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(
      /run-seed0-tag-l1\.csv: is TensorBoard scalar CSV exports .*, but 6 other files .* are the authors' per-run CSV format .* a folder or list of files must hold one format/,
    );
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(trainmap(['analyze', empty, ...quick]).stderr).toContain(
      `${empty}: no .csv, .tsv or .json files, and no TensorBoard event files, in this folder`,
    );
  });

  it('a TensorBoard logdir with one damaged run: refused with each problem listed, analyzed without it under --skip-bad', () => {
    const logdir = join(dir, 'logdir');
    cpSync(join(fixtures, 'tfevents-format'), logdir, { recursive: true });
    cpSync(join(fixtures, 'tfevents-damaged', 'truncated'), join(logdir, 'seed9'), { recursive: true });
    writeFileSync(join(logdir, 'notes.md'), 'what these runs are\n');
    const refused = trainmap(['analyze', logdir, ...quick]);
    expect(refused.code).toBe(1);
    const located = `${join(logdir, 'seed9', 'events.out.tfevents.1')}, byte 202: truncated record`;
    expect(refused.stderr).toContain(`cannot read: ${located}`);
    expect(refused.stderr).toContain(
      'trainmap analyze: 1 file or run of this import cannot be read (listed above); the other 6 runs can be: rerun with --skip-bad to analyze them',
    );
    const r = trainmap(['analyze', logdir, '--skip-bad', ...quick]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`skipped 1 file or run that cannot be read (--skip-bad):\n  run seed9: ${located}`);
    expect(r.stdout).toContain('import: read 8 files as TensorBoard event files');
    expect(r.stdout).toContain('import: left out 1 file that holds no runs: notes.md');
    // What was analyzed is the six sound runs, as the long twin of the fixture.
    const long = join(dir, 'tfevents-format.csv');
    cpSync(join(fixtures, 'tfevents-format.csv'), long);
    expect(trainmap(['analyze', long, ...quick, '--out', join(dir, 'tfe-long.analysis.json')]).code).toBe(0);
    expect(analysisIn(`${logdir}.analysis.json`)).toEqual(analysisIn(join(dir, 'tfe-long.analysis.json')));
  });
});
