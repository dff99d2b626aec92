import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend.ts';
import { appendCheckpoints, newTrainingBundle } from '../../src/train/bundleBuilder.ts';
import { BatchedTrainer, type SeedCheckpoint } from '../../src/train/batchedTrainer.ts';
import type { TrainingConfig } from '../../src/train/task.ts';
import { createTaskModel, trainingConfig } from '../../tasks/index.ts';
import { poisonSeed } from './poison.ts';
import { tinyModAdd, tinyParity } from './tiny.ts';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

async function trainAll(cfg: TrainingConfig, seeds: number[], poison?: { after: number; seedIndex: number }) {
  const trainer = new BatchedTrainer(await createTaskModel(cfg), seeds);
  const bundle = newTrainingBundle(cfg, seeds);
  const checkpoints: SeedCheckpoint[][] = [];
  let steps = 0;
  while (!trainer.done) {
    trainer.step();
    if (poison && ++steps === poison.after) await poisonSeed(trainer, poison.seedIndex);
    if (trainer.atCheckpoint()) {
      const c = await trainer.checkpoint();
      appendCheckpoints(bundle, c);
      checkpoints.push(c);
    }
  }
  trainer.dispose();
  return { bundle, checkpoints };
}

describe('diverging runs are marked, not crashed on', () => {
  it('a seed whose weights turn NaN is marked and stops; the others go on exactly as without it', async () => {
    const cfg = tinyModAdd({}, { epochs: 4 });
    const clean = await trainAll(cfg, [0, 1, 2]);
    const hit = await trainAll(cfg, [0, 1, 2], { after: 5, seedIndex: 1 });
    const runs = hit.bundle.groups[0].runs;
    // 3 steps per epoch: a clean checkpoint at step 3, poisoned after step 5, caught at step 6.
    expect(runs[1].diverged).toEqual({ step: 6, reason: expect.stringMatching(/not finite at step 6/) });
    expect(runs[1].checkpoints.step).toEqual([3, 6]);
    expect(runs[1].checkpoints.l2[0]).toBe(clean.bundle.groups[0].runs[1].checkpoints.l2[0]);
    expect(runs[0].diverged).toBeUndefined();
    expect(runs[0].checkpoints.step).toHaveLength(4);
    for (const i of [0, 2]) expect(runs[i].checkpoints).toEqual(clean.bundle.groups[0].runs[i].checkpoints);
  });

  it('an absurd learning rate makes every seed diverge; the bundle records where and why', async () => {
    const cfg = tinyParity({ epochs: 6, optimizer: { kind: 'sgd', learningRate: 1e6, weightDecay: 0.01 } });
    const { bundle } = await trainAll(cfg, [0, 1]);
    for (const run of bundle.groups[0].runs) {
      expect(run.diverged, `${run.id}`).toBeDefined();
      expect(run.diverged!.step).toBeGreaterThan(0);
      const last = run.checkpoints.l2.length - 1;
      expect(Number.isFinite(run.checkpoints.l2[last]) && Number.isFinite(run.checkpoints.train_loss[last])).toBe(
        false,
      );
    }
  });
});

describe('bad settings give clear errors', () => {
  it('zero seeds, a batch larger than the data, unknown tasks and presets, non-finite learning rates', async () => {
    const parity = await createTaskModel(tinyParity());
    expect(() => new BatchedTrainer(parity, [])).toThrow('need at least one seed');
    const big = await createTaskModel(tinyParity({ batchSize: 65 }));
    expect(() => new BatchedTrainer(big, [0])).toThrow('batch size 65 is larger than the 64 training examples');
    expect(() => trainingConfig('sparse-parity', 'fast')).toThrow(
      "unknown preset 'fast' for sparse-parity; presets: paper, quick",
    );
    expect(() => trainingConfig('mnist', 'paper')).toThrow(
      "unknown task 'mnist'; tasks: modular-addition, sparse-parity",
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { learningRate: NaN })).toThrow(
      'learning rate must be a finite number > 0, got NaN',
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { learningRate: Infinity })).toThrow(
      'learning rate must be a finite number > 0, got Infinity',
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { epochs: 0 })).toThrow(
      'epochs must be a whole number ≥ 1, got 0',
    );
    expect(() => trainingConfig('sparse-parity', 'paper', { model: { 'layer-norm': true } })).toThrow(
      '--layer-norm applies to modular-addition only',
    );
    await expect(createTaskModel(tinyModAdd({ trainFraction: 1.5 }))).rejects.toThrow(
      'trainFraction must be in (0, 1), got 1.5',
    );
  });
});
