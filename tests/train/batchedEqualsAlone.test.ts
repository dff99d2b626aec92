import { describe, expect, it } from 'vitest';
import { CHECKPOINT_COLUMNS } from '../../src/metrics/index.ts';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import type { TrainingConfig } from '../../src/train/task.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { poisonSeed } from './poison.ts';
import { tinyModAdd, tinyParity, trainCheckpoints } from './tiny.ts';

const configs: [string, TrainingConfig][] = [
  ['sparse parity', tinyParity({ epochs: 3 })],
  ['modular addition', tinyModAdd({}, { epochs: 3 })],
  ['modular addition with layer norm', tinyModAdd({ layerNorm: true }, { epochs: 2 })],
];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`batched seeds equal seeds trained alone (${backend})`, () => {
    for (const [name, cfg] of configs) {
      it(name, async () => {
        await selectBackend({ requested: backend });
        const seeds = [3, 4, 5, 6];
        const batched = await trainCheckpoints(cfg, seeds);
        expect(batched).toHaveLength(cfg.epochs);
        for (const [i, seed] of seeds.entries()) {
          const alone = await trainCheckpoints(cfg, [seed]);
          alone.forEach((checkpoint, c) => {
            const a = checkpoint[0].row;
            const b = batched[c][i].row;
            expect(batched[c][i].seed).toBe(seed);
            for (const key of CHECKPOINT_COLUMNS) {
              const rel = Math.abs(a[key] - b[key]) / Math.max(Math.abs(a[key]), 1e-12);
              expect(
                rel,
                `seed ${seed}, checkpoint ${c}, ${key}: ${b[key]} batched vs ${a[key]} alone`,
              ).toBeLessThanOrEqual(1e-5);
            }
          });
        }
        // Different seeds really are different runs.
        expect(batched[0][0].row.l2).not.toBe(batched[0][1].row.l2);
      });
    }
  });
}

describe('seed chunks', () => {
  it('gradients computed in seed chunks (a memory budget) give exactly the unchunked numbers', async () => {
    await selectBackend({ requested: 'wasm' });
    const cfg = tinyModAdd({}, { epochs: 2 });
    const model = await createTaskModel(cfg);
    const seeds = [0, 1, 2, 3, 4];
    const whole = new BatchedTrainer(model, seeds);
    const chunked = new BatchedTrainer(model, seeds, {
      activationBudgetFloats: 2 * model.activationFloatsPerExample * cfg.batchSize,
    });
    expect(whole.seedChunks()).toEqual([[0, 5]]);
    expect(chunked.seedChunks()).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
    while (!whole.done) {
      whole.step();
      chunked.step();
    }
    expect(await chunked.checkpoint()).toEqual(await whole.checkpoint());
    whole.dispose();
    chunked.dispose();
  });
});

describe('memory', () => {
  it('tf.memory().numTensors stays flat over training and checkpoints', async () => {
    await selectBackend({ requested: 'wasm' });
    const trainer = new BatchedTrainer(await createTaskModel(tinyModAdd({}, { epochs: 6 })), [0, 1]);
    const counts: number[] = [];
    while (!trainer.done) {
      trainer.step();
      if (trainer.atCheckpoint()) {
        await trainer.checkpoint();
        counts.push(tf.memory().numTensors);
      }
    }
    expect(new Set(counts).size, `tensor counts per checkpoint: ${counts.join(', ')}`).toBe(1);
    trainer.dispose();
  });

  it('a trainer leaves no tensor behind once disposed, restore included', async () => {
    await selectBackend({ requested: 'wasm' });
    const before = tf.memory().numTensors;
    const trainer = new BatchedTrainer(await createTaskModel(tinyModAdd({}, { epochs: 1 })), [0, 1]);
    trainer.step();
    trainer.restore(await trainer.snapshot());
    await poisonSeed(trainer, 1);
    await trainer.checkpoint();
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
