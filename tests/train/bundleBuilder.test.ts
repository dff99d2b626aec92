import { describe, expect, it } from 'vitest';
import { formatRunsJson, parseRunsJson, RUN_BUNDLE_FORMAT } from '../../src/io/index.ts';
import { METRIC_NAMES } from '../../src/metrics/index.ts';
import {
  appendCheckpoints,
  CHECKPOINT_COLUMNS,
  newTrainingBundle,
  runId,
  truncateAfter,
} from '../../src/train/bundleBuilder.ts';
import type { CheckpointRow, SeedCheckpoint } from '../../src/train/batchedTrainer.ts';
import { tinyParity } from './tiny.ts';

/** A checkpoint row whose every value encodes (seed, step), so misplaced values show. */
function row(seed: number, step: number): CheckpointRow {
  const r = {
    step,
    epoch: step / 2,
    train_loss: 1 / (step + 1),
    train_acc: 0.5,
    eval_loss: 2 / (step + 1),
    eval_acc: 0.25,
  } as CheckpointRow;
  METRIC_NAMES.forEach((m, i) => (r[m] = seed * 1000 + step + i / 100));
  r.metrics_gpu = 0;
  return r;
}

const entry = (seed: number, step: number, diverged?: string): SeedCheckpoint => ({
  seed,
  row: row(seed, step),
  ...(diverged ? { diverged } : {}),
});

describe('newTrainingBundle', () => {
  it('one group named task/preset with the config (and extras), one empty run per seed with every column', () => {
    const cfg = tinyParity();
    const b = newTrainingBundle(cfg, [3, 1, 8], { backend: 'wasm' });
    expect(b.format).toBe(RUN_BUNDLE_FORMAT);
    expect(b.groups.length).toBe(1);
    const g = b.groups[0];
    expect(g.name).toBe('sparse-parity/tiny');
    expect(g.config).toEqual({ ...cfg, backend: 'wasm' });
    expect(g.runs.map((r) => [r.id, r.seed])).toEqual([
      ['seed-3', 3],
      ['seed-1', 1],
      ['seed-8', 8],
    ]);
    for (const r of g.runs) expect(r.checkpoints).toEqual(Object.fromEntries(CHECKPOINT_COLUMNS.map((c) => [c, []])));
    expect(CHECKPOINT_COLUMNS).toEqual([
      'step',
      'epoch',
      'train_loss',
      'train_acc',
      'eval_loss',
      'eval_acc',
      ...METRIC_NAMES,
      'metrics_gpu',
    ]);
    expect(runId(12)).toBe('seed-12');
  });
});

describe('appendCheckpoints', () => {
  it('appends each seed’s row to its own run, whatever the order of the entries', () => {
    const b = newTrainingBundle(tinyParity(), [0, 5]);
    appendCheckpoints(b, [entry(5, 0), entry(0, 0)]);
    appendCheckpoints(b, [entry(0, 10), entry(5, 10)]);
    const [r0, r5] = b.groups[0].runs;
    expect(r0.checkpoints.step).toEqual([0, 10]);
    expect(r5.checkpoints.sv_var).toEqual([5000 + 0.13, 5010 + 0.13]);
    for (const c of CHECKPOINT_COLUMNS) expect(r0.checkpoints[c]).toEqual([row(0, 0)[c], row(0, 10)[c]]);
  });

  it('keeps a task’s own columns after the standard ones, NaN before the first row that had them', () => {
    const b = newTrainingBundle(tinyParity(), [0]);
    appendCheckpoints(b, [entry(0, 0)]);
    appendCheckpoints(b, [{ seed: 0, row: { ...row(0, 1), fourier_1: 0.25, fourier_gini: 0.5 } }]);
    appendCheckpoints(b, [{ seed: 0, row: { ...row(0, 2), fourier_1: 0.75, fourier_gini: 0.125 } }]);
    const cp = b.groups[0].runs[0].checkpoints;
    expect(Object.keys(cp)).toEqual([...CHECKPOINT_COLUMNS, 'fourier_1', 'fourier_gini']);
    expect(cp.fourier_1).toEqual([NaN, 0.25, 0.75]);
    expect(cp.fourier_gini).toEqual([NaN, 0.5, 0.125]);
    expect(cp.step).toEqual([0, 1, 2]);
  });

  it('marks a diverged seed with its last row and records nothing more for it', () => {
    const b = newTrainingBundle(tinyParity(), [0, 1]);
    appendCheckpoints(b, [entry(0, 0), entry(1, 0)]);
    appendCheckpoints(b, [entry(0, 1, 'train_loss is NaN'), entry(1, 1)]);
    appendCheckpoints(b, [entry(0, 2), entry(1, 2)]);
    const [r0, r1] = b.groups[0].runs;
    expect(r0.diverged).toEqual({ step: 1, reason: 'train_loss is NaN' });
    expect(r0.checkpoints.step).toEqual([0, 1]);
    expect(r1.diverged).toBeUndefined();
    expect(r1.checkpoints.step).toEqual([0, 1, 2]);
  });

  it('refuses an entry for a seed the bundle does not have', () => {
    const b = newTrainingBundle(tinyParity(), [0]);
    expect(() => appendCheckpoints(b, [entry(2, 0)])).toThrow('no run for seed 2 in the bundle');
  });

  it('builds a bundle that the JSON reader accepts and reads back unchanged', () => {
    const b = newTrainingBundle(tinyParity(), [0, 1]);
    for (let s = 0; s < 4; s++)
      appendCheckpoints(b, [entry(0, s), entry(1, s, s === 2 ? 'eval_loss is Infinity' : undefined)]);
    expect(parseRunsJson(formatRunsJson(b), 'built.json')).toEqual(b);
  });
});

describe('truncateAfter', () => {
  it('drops every column after the step, counts the dropped checkpoints, and clears a divergence that came later', () => {
    const b = newTrainingBundle(tinyParity(), [0, 1, 2]);
    for (const s of [0, 5, 10, 15])
      appendCheckpoints(b, [
        entry(0, s),
        entry(1, s, s === 15 ? 'NaN weights' : undefined),
        entry(2, s, s === 5 ? 'NaN loss' : undefined),
      ]);
    expect(truncateAfter(b, 7)).toBe(2 + 2);
    const [r0, r1, r2] = b.groups[0].runs;
    for (const c of CHECKPOINT_COLUMNS) {
      expect(r0.checkpoints[c].length).toBe(2);
      expect(r1.checkpoints[c].length).toBe(2);
    }
    expect(r0.checkpoints.step).toEqual([0, 5]);
    expect(r1.diverged).toBeUndefined();
    expect(r2.checkpoints.step).toEqual([0, 5]);
    expect(r2.diverged).toEqual({ step: 5, reason: 'NaN loss' });
    expect(truncateAfter(b, 7)).toBe(0);
    expect(truncateAfter(b, -1)).toBe(6);
    expect(b.groups[0].runs.every((r) => r.checkpoints.step.length === 0 && !r.diverged)).toBe(true);
  });
});
