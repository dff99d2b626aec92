/**
 * The step-level policy of src/train/webgpuDispatch.ts on real WebGPU (Dawn over SwiftShader): a training step is
 * one submit, creates no buffer once training runs and reads nothing back; and what cannot work says so.
 */
import { describe, expect, it } from 'vitest';
import { countWebGpuCalls } from '../../bench/webgpuCounter.ts';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import { prepareNodeWebGpu } from '../../src/train/nodeWebgpu.ts';
import { compilePrograms, webgpuInternals } from '../../src/train/webgpuDispatch.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { tinyModAdd } from './tiny.ts';

describe('a training step on webgpu', () => {
  it('is one submit, with no new buffer and no read-back, once training runs', { timeout: 300_000 }, async () => {
    await selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu });
    const backend = tf.backend() as unknown as { device: GPUDevice; queue: GPUQueue };
    const counter = countWebGpuCalls(backend.device, backend.queue);
    const trainer = new BatchedTrainer(
      await createTaskModel(tinyModAdd({}, { epochs: 100, checkpointEvery: 100, batchSize: 30 })),
      [0, 1],
    );
    for (let i = 0; i < 3; i++) trainer.step();
    await trainer.settle();
    counter.reset();
    for (let i = 0; i < 3; i++) trainer.step();
    const counts = { ...counter.counts };
    await trainer.settle();
    trainer.dispose();
    expect(counts).toMatchObject({ submits: 3, newBuffers: 0, readbacks: 0 });
    expect(counts.dispatches).toBeGreaterThan(0);
  });
});

describe('what cannot work says so', () => {
  it('a backend without tfjs 4.22 webgpu internals is refused, naming what is missing', () => {
    expect(() => webgpuInternals({})).toThrow(
      "tfjs-backend-webgpu has no makeUniforms(): our WebGPU kernels need tfjs 4.22's backend",
    );
  });

  it('a program the device rejects fails when compiled, with its name', async () => {
    await selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu });
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    await expect(
      compilePrograms(device, [
        { key: 'trainmap-broken', code: '@compute @workgroup_size(1) fn main() { let x = ; }' },
      ]),
    ).rejects.toThrow(/^the WebGPU program trainmap-broken does not compile here: /);
  });
});
