import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import type { TrainingConfig } from '../../src/train/task.ts';
import { createTaskModel } from '../../tasks/index.ts';

/**
 * A small modular-addition configuration that groks on a CPU within a minute: p = 23, half the pairs for
 * training, full batch, AdamW lr 0.01 with weight decay 2, a 32-wide transformer. Found by experiment:
 * seeds 0–3 memorize by epoch ~75 and three of four generalize by epoch ~500.
 */
const config: TrainingConfig = {
  task: 'modular-addition',
  preset: 'grokking-test',
  epochs: 1000,
  checkpointEvery: 5,
  batchSize: 264,
  optimizer: { kind: 'adamw', learningRate: 0.01, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 2 },
  convergenceThreshold: 0.9,
  model: { modulus: 23, dModel: 32, heads: 4, dHead: 8, dMlp: 128, trainFraction: 0.5, layerNorm: false },
};

describe('grokking on a CPU', () => {
  it('most seeds memorize first (train ≥ 0.99 while eval < 0.5) and generalize later (eval ≥ 0.9)', async () => {
    await selectBackend({ requested: 'wasm' });
    const seeds = [0, 1, 2, 3];
    const trainer = new BatchedTrainer(await createTaskModel(config), seeds);
    expect(trainer.data[0].nTrain).toBe(264);
    const memorizedAt: (number | null)[] = seeds.map(() => null);
    const generalizedAt: (number | null)[] = seeds.map(() => null);
    const grokked = () => seeds.filter((_, i) => memorizedAt[i] !== null && generalizedAt[i] !== null).length;
    while (!trainer.done && grokked() < 3) {
      trainer.step();
      if (!trainer.atCheckpoint()) continue;
      for (const [i, e] of (await trainer.checkpoint()).entries()) {
        if (memorizedAt[i] === null && e.row.train_acc >= 0.99 && e.row.eval_acc < 0.5) memorizedAt[i] = trainer.epoch;
        if (memorizedAt[i] !== null && generalizedAt[i] === null && e.row.eval_acc >= 0.9)
          generalizedAt[i] = trainer.epoch;
      }
    }
    trainer.dispose();
    const summary = `memorized at ${JSON.stringify(memorizedAt)}, generalized at ${JSON.stringify(generalizedAt)}`;
    expect(grokked(), summary).toBeGreaterThanOrEqual(3);
    for (const [i, g] of generalizedAt.entries()) if (g !== null) expect(g, summary).toBeGreaterThan(memorizedAt[i]!);
  }, 600_000);
});
