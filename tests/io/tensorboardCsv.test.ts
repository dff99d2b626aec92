import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnForTag, importFiles, parseRunsCsv, parseTensorboardFiles, runAndTag } from '../../src/io/index.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures');
const folder = join(fixtures, 'tensorboard-format');
const files = () =>
  readdirSync(folder).map((f) => ({ name: join(folder, f), text: readFileSync(join(folder, f), 'utf8') }));
const series = (...rows: string[]) => ['Wall time,Step,Value', ...rows].join('\n');

describe('TensorBoard scalar CSV exports', () => {
  it('read like the same runs in our long format: a run per run name, a column per tag, joined on the step', () => {
    const imported = importFiles(files(), 'tensorboard-format');
    const long = parseRunsCsv(readFileSync(join(fixtures, 'tensorboard-format.csv'), 'utf8'), 'tensorboard-format.csv');
    expect(imported.format).toBe('tensorboard-csv');
    const strip = (r: { id: string; checkpoints: object }) => ({ id: r.id, checkpoints: r.checkpoints });
    expect(imported.bundle.groups[0].runs.map(strip)).toEqual(long.groups[0].runs.map(strip));
    expect(imported.notes[0]).toBe(
      'read 25 files as TensorBoard scalar CSV exports (Wall time,Step,Value; one file per run and tag): 5 runs (seed0, seed1, seed2, seed3, seed4), tags → columns: eval_accuracy → eval_acc, l1, l2, spectral, trace',
    );
    // seed1's l1 logged one step that no other tag of seed1 has.
    expect(imported.notes).toContain("run seed1: 1 row of 'l1' left out (steps some other tag of the run did not log)");
  });

  it('takes the run and tag from TensorBoard download names or from a folder per run', () => {
    expect(runAndTag('exports/run-seed3-tag-train_loss.csv')).toEqual({ run: 'seed3', tag: 'train_loss' });
    expect(runAndTag('run-version_0-tag-eval_accuracy.csv')).toEqual({ run: 'version_0', tag: 'eval_accuracy' });
    expect(runAndTag('logs/seed3/l1.csv')).toEqual({ run: 'seed3', tag: 'l1' });
    expect(runAndTag('l1.csv')).toEqual({
      error:
        "cannot tell the run and the tag from the file name 'l1.csv': expected TensorBoard's download name run-<run>-tag-<tag>.csv, or <run>/<tag>.csv in a folder per run",
    });
    expect(runAndTag('run-a-tag-b-tag-c.csv')).toEqual({
      error:
        "'run-a-tag-b-tag-c.csv' has '-tag-' more than once, so where the run name ends is ambiguous; rename it to run-<run>-tag-<tag>.csv with one '-tag-'",
    });
    expect(columnForTag('eval/accuracy')).toBe('eval_acc');
    expect(columnForTag('code_sparsity')).toBe('l1_over_l2');
    expect(columnForTag('lr')).toBe('lr');
    const folders = parseTensorboardFiles(
      [
        { name: 'logs/b/l1.csv', text: series('1,10,0.5', '2,20,0.25') },
        { name: 'logs/a/l1.csv', text: series('1,10,0.5') },
      ],
      'logs',
    );
    expect(folders.runs).toEqual(['a', 'b']);
    expect(folders.bundle.groups[0].runs[1].checkpoints).toEqual({ step: [10, 20], l1: [0.5, 0.25] });
  });

  it('bad input gets located messages', () => {
    const one = (name: string, text: string) => () => parseTensorboardFiles([{ name, text }], 'g');
    expect(one('notes.csv', series('1,2,3'))).toThrow(
      "notes.csv: cannot tell the run and the tag from the file name 'notes.csv'",
    );
    expect(one('run-a-tag-l1.csv', 'time,step,value\n1,2,3')).toThrow(
      "run-a-tag-l1.csv, line 1: expected the header Wall time,Step,Value of a TensorBoard scalar export, got 'time,step,value'",
    );
    expect(one('run-a-tag-l1.csv', series('1,2,3', '1,x,3'))).toThrow(
      "run-a-tag-l1.csv, line 3, column 2: step must be a non-negative whole number, got 'x'",
    );
    expect(one('run-a-tag-l1.csv', series('1,2,oops'))).toThrow(
      "run-a-tag-l1.csv, line 2, column 3: 'oops' in column 'Value' is not a number",
    );
    expect(one('run-a-tag-l1.csv', series('now,2,1'))).toThrow(
      "run-a-tag-l1.csv, line 2, column 1: 'now' in column 'Wall time' is not a number",
    );
    expect(one('run-a-tag-l1.csv', series('1,2,3', '2,2,4'))).toThrow(
      'run-a-tag-l1.csv, line 3, column 2: step 2 appears twice (first on line 2)',
    );
    expect(one('run-a-tag-l1.csv', series('1,2'))).toThrow(
      'run-a-tag-l1.csv, line 2, column 3: 2 cells; a TensorBoard export has 3 (Wall time,Step,Value)',
    );
    expect(one('run-a-tag-l1.csv', series())).toThrow('run-a-tag-l1.csv: the header is there but no rows follow');
    expect(one('run-a-tag-step.csv', series('1,2,3'))).toThrow("tag 'step' would become the 'step' column");
    // Plain tag names side by side in the imported folder name no run.
    const flat = [
      { name: 'logs/l1.csv', text: series('1,2,3') },
      { name: 'logs/l2.csv', text: series('1,2,3') },
    ];
    expect(() => parseTensorboardFiles(flat, 'logs')).toThrow(
      "logs/l1.csv: cannot tell the run and the tag from the file name 'l1.csv'",
    );
    const twice = [
      { name: 'run-a-tag-eval_accuracy.csv', text: series('1,2,3') },
      { name: 'run-a-tag-eval_acc.csv', text: series('1,2,3') },
    ];
    expect(() => parseTensorboardFiles(twice, 'g')).toThrow(
      "run-a-tag-eval_acc.csv: run 'a' has tag 'eval_acc' (column 'eval_acc') twice: also in run-a-tag-eval_accuracy.csv",
    );
    const apart = [
      { name: 'run-a-tag-l1.csv', text: series('1,2,3') },
      { name: 'run-a-tag-l2.csv', text: series('1,4,3') },
    ];
    expect(() => parseTensorboardFiles(apart, 'g')).toThrow(
      "run-a-tag-l1.csv: run 'a': its tags (l1, l2) share no step, so no checkpoint has every value",
    );
  });
});
