import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleError, importFiles, readLongTable } from '../../src/io/index.ts';
import { expectLikeTwin, importFixtures, runsOf } from '../helpers/importFixtures.ts';

const table = (text: string) => readLongTable(text, 'runs.tsv');
function errorOf(text: string): BundleError {
  try {
    table(text);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected a BundleError');
}

describe('long tables, whatever their dialect', () => {
  it('detects comma, tab and semicolon from the header', () => {
    for (const d of [',', '\t', ';']) {
      const t = table(['seed', 'step', 'l2'].join(d) + '\n' + ['0', '1', '0.5'].join(d) + '\n');
      expect(t.delimiter).toBe(d);
      expect(runsOf(t.bundle)).toEqual([{ id: '0', checkpoints: { step: [1], l2: [0.5] } }]);
    }
    // Quoted delimiters in the header do not count; a tie goes to the comma.
    expect(table('"a\tb",run,step\n1,x,0\n').delimiter).toBe(',');
  });

  it('takes the run from run, run_id or seed and the step from step, global_step, iteration or epoch, in that order', () => {
    const t = table('seed\trun_id\tepoch\titeration\tv\n1\ta\t0\t10\t0.5\n1\ta\t1\t20\t0.6\n');
    expect([t.runColumn, t.stepColumn]).toEqual(['run_id', 'iteration']);
    // The columns that lost keep being numbers: seed and epoch are values of each checkpoint.
    expect(runsOf(t.bundle)).toEqual([
      { id: 'a', checkpoints: { seed: [1, 1], epoch: [0, 1], step: [10, 20], v: [0.5, 0.6] } },
    ]);
    const s = table('seed,global_step,epoch,l2\n3,100,1,2\n');
    expect([s.runColumn, s.stepColumn]).toEqual(['seed', 'global_step']);
    expect(s.bundle.groups[0].runs[0].seed).toBe(3);
    expect(errorOf('name\tstep\tl2\n').message).toBe(
      "runs.tsv, line 1: missing required column 'run' (or run_id, seed) (header: name\\tstep\\tl2)",
    );
    expect(errorOf('seed\tt\tl2\n').message).toMatch(
      /missing required column 'step' \(or global_step, iteration, epoch\)/,
    );
  });

  it('leaves out columns that hold no number and names them; drops a pandas index column', () => {
    const t = table('\tscore\tstep\tseed\tnote\n0\t-1.1\t0\t0\t[0, 1]\n1\t-1.0\t1\t0\tok\n');
    expect(t.indexColumn).toBe('');
    expect(t.textColumns).toEqual([{ name: 'note', line: 2, cell: '[0, 1]' }]);
    expect(runsOf(t.bundle)).toEqual([{ id: '0', checkpoints: { score: [-1.1, -1.0], step: [0, 1] } }]);
    // A column with numbers and a cell that is not one is an error at that cell, not text.
    const bad = table('run;step;l2\na;0;0,5\nb;0;1\n');
    expect(bad.badRuns.map((b) => b.error.message)).toEqual([
      "runs.tsv, line 2, column 3: '0,5' in column 'l2' is not a number (a decimal comma? write 0.5, not 0,5)",
    ]);
  });

  it('a ragged row or a bad cell marks its run bad with a located message; the other runs read', () => {
    const t = table('seed\tstep\tl2\n0\t0\t1\n1\t0\n0\t1\t2\n1\t1\t3\n2\t0\tx\n2\t1\t4\n');
    expect(t.badRuns.map((b) => [b.run, b.error.message])).toEqual([
      ['1', 'runs.tsv, line 3, column 3: 2 cells but the header has 3 columns'],
      ['2', "runs.tsv, line 6, column 3: 'x' in column 'l2' is not a number"],
    ]);
    expect(runsOf(t.bundle).map((r) => r.id)).toEqual(['0']);
    // Every run bad: the first problem is the file's.
    expect(errorOf('seed\tstep\tl2\n0\t0\n').message).toBe(
      'runs.tsv, line 2, column 3: 2 cells but the header has 3 columns',
    );
    // A row that names no run cannot be set aside with its run.
    expect(errorOf('seed\tstep\tl2\n\t0\t1\n').message).toBe("runs.tsv, line 2, column 1: empty 'seed' cell");
  });

  it("renames PolyPythias' names and says so; a rename onto a column that is there is refused", () => {
    const t = table('seed\tstep\tL1\tL2\tlambda_max\tsigma_lambda\n0\t0\t1\t2\t3\t4\n');
    expect(t.renames.map((r) => `${r.from}→${r.to}`)).toEqual([
      'L1→l1',
      'L2→l2',
      'lambda_max→spectral',
      'sigma_lambda→sv_var',
    ]);
    expect(Object.keys(t.bundle.groups[0].runs[0].checkpoints)).toEqual(['step', 'l1', 'l2', 'spectral', 'sv_var']);
    // L1 alone is not PolyPythias' (no name only they write): kept as it is.
    expect(table('seed\tstep\tL1\n0\t0\t1\n').renames).toEqual([]);
    expect(errorOf('seed\tstep\tlambda_max\tspectral\n0\t0\t1\t2\n').message).toMatch(
      /line 1, column 4: column 'spectral' and column 'lambda_max' would both be 'spectral'/,
    );
  });

  it("PolyPythias' extract_metrics.py layout analyzes exactly like the same data in our long format", () => {
    const name = join(importFixtures, 'polypythias-format.tsv');
    const imported = importFiles([{ name, text: readFileSync(name, 'utf8') }]);
    expect(imported.format).toBe('long-table');
    expect(imported.notes.slice(0, 2)).toEqual([
      'read as a tab-separated long table (the header holds 15 tabs, 0 commas, 0 semicolons)',
      "run ids from column 'seed', steps from column 'step' (the first of run, run_id, seed and of step, global_step, iteration, epoch the header has)",
    ]);
    expect(imported.notes).toContain(
      'columns renamed from the names of PolyPythias extract_metrics.py (EleutherAI/pythia): L1 → l1, L2 → l2, L1/L2 → l1_over_l2, mu_w → weight_mean, median_w → weight_median, sigma_w → weight_var, mu_b → bias_mean, median_b → bias_median, sigma_b → bias_var, lambda_max → spectral, trace/lambda → trace_over_spectral, mu_lambda → sv_mean, sigma_lambda → sv_var',
    );
    expect(expectLikeTwin(imported.bundle, 'polypythias-format.csv').features).toHaveLength(14);
  });

  it("reads PolyPythias' published training-map table (EleutherAI/pythia polypythias/data/training_maps.tsv)", () => {
    const name = join(importFixtures, 'real/polypythias-training_maps.tsv');
    const r = importFiles([{ name, text: readFileSync(name, 'utf8') }]);
    const groups = r.bundle.groups;
    // Its 'group' column names the seed clusters their analysis found: our group column, two groups.
    expect(groups.map((g) => [g.name, g.runs.map((x) => x.id)])).toEqual([
      ['[0, 1, 2, 5, 6, 7, 8, 9]', ['0', '1', '2', '5', '6', '7', '8', '9']],
      ['[3, 4]', ['3', '4']],
    ]);
    expect(Object.keys(groups[0].runs[0].checkpoints)).toEqual(['score', 'state', 'step']);
    expect(groups[0].runs[0].checkpoints.step).toHaveLength(27);
    expect(r.notes).toContain('the first column, a pandas index, was dropped');
  });
});
