import { describe, expect, it } from 'vitest';
import { analyzeRuns } from '../../src/analysis/index.ts';
import { importFiles, readEventFiles } from '../../src/io/index.ts';
import { expectLikeTwin, fixtureBytes } from '../helpers/importFixtures.ts';

describe('TensorBoard event files, a folder per run', () => {
  it("the independent writer's event files analyze exactly like the same data in our long format", () => {
    const imported = importFiles(fixtureBytes('tfevents-format'), 'tfevents-format');
    expect(imported.format).toBe('tensorboard-events');
    expect(imported.notes.slice(0, 2)).toEqual([
      'read 7 files as TensorBoard event files (events.out.tfevents.*, a folder per run): 3707 records, 6 runs (seed0, seed1, seed2, seed3, seed4, seed5); tags → columns, steps → checkpoints; wall times are not kept',
      'a checkpoint is a step at which every scalar tag of the run has a value',
    ]);
    expect(imported.notes).toContain(
      "columns renamed from the names of the authors' pipeline (michahu/modeling-training): train_accuracy → train_acc, eval_accuracy → eval_acc",
    );
    const a = expectLikeTwin(imported.bundle, 'tfevents-format.csv');
    expect(a.runs.filter((r) => r.included)).toHaveLength(6);
  });

  it("reads real PyTorch SummaryWriter files (janosh/tensorboard-reducer's test runs) and analyzes them", () => {
    const r = importFiles(fixtureBytes('real/tensorboard-reducer-strict'), 'strict');
    const runs = r.bundle.groups[0].runs;
    expect(runs.map((x) => x.id)).toEqual(['run_1', 'run_2', 'run_3']);
    for (const [i, run] of runs.entries()) {
      // Their generator: writer.add_scalar("strict/foo", torch.rand([]) + idx, 5 * step) for step in range(100).
      expect(run.checkpoints.step).toEqual(Array.from({ length: 100 }, (_, s) => 5 * s));
      expect(run.checkpoints['strict/foo'].every((v) => v >= i + 1 && v < i + 2)).toBe(true);
    }
    const a = analyzeRuns(r.bundle, { kMax: 3, restarts: 2, stabilityRestarts: 4, seed: 3, features: ['strict/foo'] });
    expect(a.runs.filter((x) => x.included)).toHaveLength(3);
    expect(a.features).toEqual(['strict/foo']);
  });

  it('names runs by folder, or by file when files come without one; a repeated step is located', () => {
    const [f] = fixtureBytes('tfevents-format/seed0');
    const loose = readEventFiles(
      [
        { name: 'events.out.tfevents.1.a', bytes: f.bytes },
        { name: 'events.out.tfevents.2.b', bytes: f.bytes },
      ],
      'picked',
    );
    expect(loose.bundle.groups[0].runs.map((x) => x.id)).toEqual(['1.a', '2.b']);
    // Two files in one folder are one run: the same steps twice is a restarted run.
    const twice = readEventFiles(
      [
        { name: 'logs/a/events.out.tfevents.1', bytes: f.bytes },
        { name: 'logs/a/events.out.tfevents.2', bytes: f.bytes },
      ],
      'logs',
    );
    expect(twice.bad.map((b) => b.error.message)).toEqual([
      "logs/a/events.out.tfevents.2, byte 42: tag 'l1' has step 0 twice (first in logs/a/events.out.tfevents.1); a restarted run logs steps again — keep one stretch",
    ]);
    // Files at the top of the imported folder are the folder's run.
    const top = readEventFiles([{ name: 'mylogs/events.out.tfevents.1', bytes: f.bytes }], 'g');
    expect(top.bundle.groups[0].runs.map((x) => x.id)).toEqual(['mylogs']);
  });
});
