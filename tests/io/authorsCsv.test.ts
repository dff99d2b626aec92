import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles, parseAuthorsRunCsv, parseRunsCsv, seedFromName } from '../../src/io/index.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures');
const folder = join(fixtures, 'authors-format');
const files = () =>
  readdirSync(folder).map((f) => ({ name: join(folder, f), text: readFileSync(join(folder, f), 'utf8') }));

const HEADER =
  ',l1,l2,trace,spectral,code_sparsity,computational_sparsity,mean_lambda,variance_lambda,mean_w,median_w,var_w,mean_b,median_b,var_b,step,train_loss,eval_loss,train_accuracy,eval_accuracy';
const row = (i: number, step: number, cell = '1.5') =>
  [i, ...new Array(14).fill(cell), step, 0.5, 0.6, 0.7, 0.8].join(',');

describe("the authors' per-run CSV files", () => {
  it('read like the same runs in our long format: columns mapped, rows sorted by step, run ids from file names', () => {
    const imported = importFiles(files(), 'authors-format');
    const long = parseRunsCsv(readFileSync(join(fixtures, 'authors-format.csv'), 'utf8'), 'authors-format.csv');
    expect(imported.format).toBe('authors-csv');
    expect(imported.bundle.groups.map((g) => g.name)).toEqual(['authors-format']);
    const strip = (r: { id: string; checkpoints: object }) => ({ id: r.id, checkpoints: r.checkpoints });
    expect(imported.bundle.groups[0].runs.map(strip)).toEqual(long.groups[0].runs.map(strip));
    expect(imported.bundle.groups[0].runs.map((r) => r.seed)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(imported.notes[0]).toBe(
      "read 6 files in the authors' per-run CSV format (michahu/modeling-training, one file per seed); run ids from the file names",
    );
    expect(imported.notes[1]).toBe(
      'columns mapped: code_sparsity → l1_over_l2, computational_sparsity → trace_over_spectral, mean_lambda → sv_mean, variance_lambda → sv_var, mean_w → weight_mean, median_w → weight_median, var_w → weight_var, mean_b → bias_mean, median_b → bias_median, var_b → bias_var, train_accuracy → train_acc, eval_accuracy → eval_acc; kept as they are: l1, l2, trace, spectral, step, train_loss, eval_loss',
    );
    expect(imported.notes).toContain('the pandas index column was dropped');
  });

  it("maps the CNN names, re-saved index columns and an 'epoch' in place of 'step'", () => {
    const text = [
      'Unnamed: 0,l1,l2,code_sparsity,trace,spectral,computational_sparsity,mean_singular_value,var_singular_value,mean_w,median_w,var_w,mean_b,median_b,var_b,epoch',
      '0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,3',
      '1,1,2,3,4,5,6,7,8,9,10,11,12,13,14,1',
    ].join('\n');
    const r = parseAuthorsRunCsv(text, 'runs/lr0.001_adamw_seed12_scaling1.0.csv');
    expect(r.run.id).toBe('lr0.001_adamw_seed12_scaling1.0');
    expect(r.run.seed).toBe(12);
    expect(r.indexColumn).toBe(true);
    expect(r.stepFrom).toBe('epoch');
    expect(r.run.checkpoints.step).toEqual([1, 3]);
    expect(r.run.checkpoints.epoch).toEqual([1, 3]);
    expect(r.run.checkpoints.sv_mean).toEqual([7, 7]);
    expect(r.run.checkpoints.sv_var).toEqual([8, 8]);
    expect(r.run.checkpoints.trace_over_spectral).toEqual([6, 6]);
    // Without an index column the first column is data.
    const bare = parseAuthorsRunCsv(['l1,code_sparsity,step', '4,0.5,0'].join('\n'), 'x.csv');
    expect(bare.indexColumn).toBe(false);
    expect(bare.run.checkpoints).toEqual({ step: [0], l1: [4], l1_over_l2: [0.5] });
    expect(seedFromName('seed7.csv')).toBe(7);
    expect(seedFromName('a1b2c3d4.csv')).toBeNull();
  });

  it('keeps empty cells as missing values (pandas writes NaN that way); the analysis then excludes the run', () => {
    const r = parseAuthorsRunCsv([HEADER, row(0, 0), row(1, 1, '')].join('\n'), 'seed0.csv');
    expect(r.run.checkpoints.l1[1]).toBeNaN();
  });

  it('bad input gets located messages', () => {
    const cases: [string, string][] = [
      [
        [HEADER, row(0, 0), row(1, 1, 'abc')].join('\n'),
        "seed0.csv, line 3, column 2: 'abc' in column 'l1' is not a number",
      ],
      [
        [HEADER, row(0, 5), row(1, 5)].join('\n'),
        'seed0.csv, line 3, column 16: step 5 appears twice (first on line 2)',
      ],
      [
        [HEADER, row(0, 2.5)].join('\n'),
        "seed0.csv, line 2, column 16: step must be a non-negative whole number, got '2.5'",
      ],
      [[HEADER, '0,1,2'].join('\n'), 'seed0.csv, line 2, column 4: 3 cells but the header has 20 columns'],
      [HEADER, 'seed0.csv: the header is there but no checkpoint rows follow'],
      ['', "seed0.csv: the file is empty; expected the authors' per-run CSV (a header like ,l1,l2,trace,…,step)"],
      [
        ',l1,code_sparsity\n0,1,2',
        "seed0.csv, line 1: no 'step' (or 'epoch') column to order the checkpoints by (header: ,l1,code_sparsity)",
      ],
      [
        ',eval_accuracy,eval_acc,step\n0,1,1,0',
        "seed0.csv, line 1, column 3: column 'eval_acc' and column 'eval_accuracy' (column 2) both map to 'eval_acc'",
      ],
      [',l1,,step\n0,1,1,0', 'seed0.csv, line 1, column 3: empty column name in the header'],
    ];
    for (const [text, message] of cases) expect(() => parseAuthorsRunCsv(text, 'seed0.csv'), message).toThrow(message);
    const twice = [
      { name: 'a/seed0.csv', text: [HEADER, row(0, 0)].join('\n') },
      { name: 'b/seed0.csv', text: [HEADER, row(0, 0)].join('\n') },
    ];
    expect(() => importFiles(twice)).toThrow(
      "b/seed0.csv: run id 'seed0' (from the file name) is also the id of a/seed0.csv",
    );
  });
});
