/**
 * WebGPU's default limit on one storage binding is 128 MiB. tfjs-backend-webgpu 4.22 asks for the adapter's own
 * limit (1 GiB on SwiftShader, more on discrete GPUs), but a device with the default must still train modular
 * addition at the paper's size: the trainer's seed chunks keep each gradient computation to a few seeds, so the
 * largest tensor of a step (the MLP's hidden layer, or the keys and values gathered for every example) binds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import { createTaskModel, trainingConfig } from '../../tasks/index.ts';

const DEFAULT_BINDING_BYTES = 128 * 2 ** 20;

beforeAll(async () => {
  await selectBackend({ requested: 'cpu' });
});

describe('the tensors of a modular-addition step against the WebGPU binding limit', () => {
  it('S = 40, batch 2048: the largest tensor of a seed chunk binds under 128 MiB', async () => {
    const config = trainingConfig('modular-addition', 'paper');
    expect(config.batchSize).toBe(2048);
    const trainer = new BatchedTrainer(
      await createTaskModel(config),
      Array.from({ length: 40 }, (_, i) => i),
    );
    const m = config.model;
    const perSeedFloats = Math.max(
      config.batchSize * 3 * Number(m.heads) * Number(m.dHead), // keys (and values) of every position
      config.batchSize * Number(m.dMlp), // the hidden layer
      config.batchSize * Number(m.modulus), // the logits
    );
    // All 40 seeds at once would not bind: the chunks are what keeps it under the limit.
    expect(40 * perSeedFloats * 4).toBeGreaterThan(DEFAULT_BINDING_BYTES);
    const largest = Math.max(...trainer.seedChunks().map(([from, to]) => (to - from) * perSeedFloats * 4));
    expect(largest).toBeLessThan(DEFAULT_BINDING_BYTES);
    trainer.dispose();
  });
});
