import { describe, expect, it } from 'vitest';
import { BundleError, importFiles, isWandbHeader, readWandbExport } from '../../src/io/index.ts';
import { describeSampling, WANDB_SAMPLE_LIMIT } from '../../src/io/wandbCsv.ts';
import { expectLikeTwin, fixtureTexts, QUICK } from '../helpers/importFixtures.ts';

const q = (cells: (string | number)[]) => cells.map((c) => `"${c}"`).join(',');
const exportOf = (header: string[], rows: (string | number)[][]) => [q(header), ...rows.map(q)].join('\n') + '\n';

function errorOf(text: string, file = 'wandb_export.csv'): BundleError {
  try {
    readWandbExport(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected a BundleError');
}

describe('W&B chart exports', () => {
  it('five chart exports (one per metric) analyze exactly like the same data in our long format', () => {
    const imported = importFiles(fixtureTexts('wandb-format'), 'wandb-format');
    expect(imported.format).toBe('wandb-csv');
    expect(imported.notes[0]).toBe(
      'read 5 files as W&B chart exports (Step, <run> - <metric>, __MIN/__MAX): 4 runs (calm-sun-1, brisk-haze-2, wild-pond-3, dry-leaf-4), metrics → columns; 40 __MIN/__MAX columns (the range of each plotted bucket) dropped',
    );
    // brisk-haze-2 has no eval_accuracy at step 40: that step is no checkpoint of it.
    expect(imported.notes).toContain(
      "run brisk-haze-2: 1 row of 'l1' left out (steps some other metric of the run did not log)",
    );
    expect(imported.notes.filter((n) => n.includes('the steps may be sampled'))).toHaveLength(5);
    const a = expectLikeTwin(imported.bundle, 'wandb-format.csv', {
      ...QUICK,
      features: ['l1', 'l2', 'trace', 'spectral'],
    });
    expect('skipped' in a.regression).toBe(false); // eval_accuracy became eval_acc
  });

  it('splits <run> - <metric> at the last " - ", drops the companions, and says when steps are sampled', () => {
    const text = exportOf(
      [
        'Step',
        'sweep - lr 3e-4 - train/loss',
        'sweep - lr 3e-4 - train/loss__MIN',
        'sweep - lr 3e-4 - train/loss__MAX',
      ],
      [
        [0, 2, 2, 2],
        [10, 1.5, 1.2, 1.9],
        [30, 1, 1, 1],
      ],
    );
    expect(isWandbHeader(['Step', 'a - x', 'a - x__MIN', 'a - x__MAX'])).toBe(true);
    expect(isWandbHeader(['Step', 'x__MIN'])).toBe(false);
    const w = readWandbExport(text, 'w.csv');
    expect([...w.runs.keys()]).toEqual(['sweep - lr 3e-4']);
    expect([...w.runs.get('sweep - lr 3e-4')!.get('train/loss')!.series]).toEqual([
      [0, 2],
      [10, 1.5],
      [30, 1],
    ]);
    expect(w.companions).toBe(2);
    expect(describeSampling('w.csv', w)).toBe(
      "w.csv: the steps are sampled: in 1 of 3 rows a __MIN/__MAX differs from the value, so each such row stands for a bucket of logged steps (W&B's full-fidelity aggregation keeps the bucket's last value); the steps are unevenly spaced. W&B exports the points its chart drew, not every logged step; for every step, export the run's history with W&B's API (run.scan_history())",
    );
    const limit = exportOf(
      ['Step', 'a - x', 'a - x__MIN', 'a - x__MAX'],
      Array.from({ length: WANDB_SAMPLE_LIMIT }, (_, i) => [i, 1, 1, 1]),
    );
    expect(describeSampling('l.csv', readWandbExport(limit, 'l.csv'))).toMatch(
      /^l\.csv: the steps are sampled: 'a - x' has exactly 1500 points, the limit of W&B's random sampling\./,
    );
  });

  it('a file missing its Step column, or with another x-axis, gets a located message', () => {
    expect(errorOf(exportOf(['a - x', 'a - x__MIN', 'a - x__MAX'], [[1, 1, 1]])).message).toBe(
      "wandb_export.csv, line 1, column 1: a W&B chart export without its 'Step' column (the first column of an export is the x-axis); export the chart again with Step on the x-axis",
    );
    expect(
      errorOf(exportOf(['Relative Time (Process)', 'a - x', 'a - x__MIN', 'a - x__MAX'], [[1.5, 1, 1, 1]])).message,
    ).toBe(
      "wandb_export.csv, line 1, column 1: a W&B chart export whose x-axis is 'Relative Time (Process)', not 'Step': checkpoints need steps; set the chart's x-axis to Step and export again",
    );
    expect(errorOf(exportOf(['Step', 'a - x', 'a - x__MIN'], [[0.5, 1, 1]])).message).toBe(
      "wandb_export.csv, line 2, column 1: Step must be a non-negative whole number, got '0.5'",
    );
    expect(
      errorOf(
        exportOf(
          ['Step', 'a - x', 'a - x__MIN'],
          [
            [0, 1, 1],
            [0, 2, 2],
          ],
        ),
      ).message,
    ).toBe('wandb_export.csv, line 3, column 1: Step 0 appears twice (first on line 2)');
    expect(errorOf('"Step","a - x","a - x__MIN"\n"0","1"\n').message).toBe(
      'wandb_export.csv, line 2, column 3: 2 cells but the header has 3 columns',
    );
    // Through importFiles the same message, and a folder of such files names each.
    const missing = { name: 'loss.csv', text: exportOf(['a - x', 'a - x__MIN', 'a - x__MAX'], [[1, 1, 1]]) };
    expect(() => importFiles([missing])).toThrow(
      /^loss\.csv, line 1, column 1: a W&B chart export without its 'Step' column/,
    );
  });

  it('a run with a cell that is not a number is left out with its reason; the others read', () => {
    const text = exportOf(
      ['Step', 'a - x', 'b - x'],
      [
        [0, 1, 'oops'],
        [1, 2, 3],
      ],
    );
    const w = readWandbExport(text, 'w.csv');
    expect([...w.runs.keys()]).toEqual(['a']);
    expect(w.bad.map((b) => [b.run, b.error.message])).toEqual([
      ['b', "w.csv, line 2, column 3: 'oops' in column 'b - x' is not a number"],
    ]);
    const withBands = exportOf(
      ['Step', 'a - x', 'a - x__MIN', 'b - x'],
      [
        [0, 1, 1, 'oops'],
        [1, 2, 2, 3],
      ],
    );
    const r = importFiles([{ name: 'w.csv', text: withBands }], 'g', { skipBad: true });
    expect(r.bundle.groups[0].runs.map((x) => x.id)).toEqual(['a']);
    expect(r.skipped).toEqual([
      { file: 'w.csv', run: 'b', message: "w.csv, line 2, column 4: 'oops' in column 'b - x' is not a number" },
    ]);
  });
});
