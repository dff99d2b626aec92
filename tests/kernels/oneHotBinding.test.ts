/**
 * WebGPU's default limit on one storage binding is 128 MiB. tfjs-backend-webgpu 4.22 asks for the
 * adapter's own limit (1 GiB on SwiftShader, more on discrete GPUs), but a device with the default must
 * still train modular addition at the paper's size: the one-hot token tensor is the largest input
 * (S·B·3 × (p+1) floats, 106.9 MiB for all 40 seeds at batch 2048), and the trainer's seed chunks keep
 * each gradient computation to a few seeds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import { createTaskModel, trainingConfig } from '../../tasks/index.ts';

const DEFAULT_BINDING_BYTES = 128 * 2 ** 20;

beforeAll(async () => {
  await selectBackend({ requested: 'cpu' });
});

describe('one-hot tensors of modular addition against the WebGPU binding limit', () => {
  it('S = 40, batch 2048: the largest one-hot of a training step binds under 128 MiB', async () => {
    const config = trainingConfig('modular-addition', 'paper');
    expect(config.batchSize).toBe(2048);
    const trainer = new BatchedTrainer(
      await createTaskModel(config),
      Array.from({ length: 40 }, (_, i) => i),
    );
    const vocab = Number(config.model.modulus) + 1;
    const oneHotBytes = (seeds: number) => seeds * config.batchSize * 3 * vocab * 4;
    expect(oneHotBytes(40) / 2 ** 20).toBeCloseTo(106.9, 1);
    const largest = Math.max(...trainer.seedChunks().map(([from, to]) => oneHotBytes(to - from)));
    expect(largest).toBeLessThan(DEFAULT_BINDING_BYTES);
    trainer.dispose();
  });
});
