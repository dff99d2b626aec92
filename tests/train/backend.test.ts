import { describe, expect, it } from 'vitest';
import { selectBackend, tf, withinTime } from '../../src/train/backend.ts';
import type { SeedCheckpoint } from '../../src/train/batchedTrainer.ts';
import { METRICS_PATH_COLUMN } from '../../src/train/gpuMetrics.ts';
import { prepareNodeWebGpu } from '../../src/train/nodeWebgpu.ts';
import { expectRowsClose, tinyModAdd, tinyParity, trainCheckpoints } from './tiny.ts';

describe('backend probe', () => {
  it('picks wasm in Node and says why; honours a request; refuses what cannot run here', async () => {
    const auto = await selectBackend();
    expect(auto.name).toBe('wasm');
    expect(auto.reason).toMatch(/first choice in Node/);
    expect(tf.getBackend()).toBe('wasm');
    // One thread in Node (tfjs-wasm runs threads only in a cross-origin isolated page).
    expect(auto.threads).toBe(1);
    const cpu = await selectBackend({ requested: 'cpu' });
    expect(cpu).toMatchObject({ name: 'cpu', reason: 'cpu was requested' });
    await expect(selectBackend({ requested: 'webgl' })).rejects.toThrow(
      "backend 'webgl' is not available here (webgl: WebGL needs a browser)",
    );
  });

  it('a backend that failed is passed over with why, so the next one that starts can be offered', async () => {
    const next = await selectBackend({ exclude: [{ name: 'wasm', why: 'its binary did not compile' }] });
    expect(next.name).toBe('cpu');
    expect(next.reason).toBe('cpu is the first that works (wasm: its binary did not compile)');
    expect(next.skipped).toEqual([{ name: 'wasm', why: 'its binary did not compile' }]);
    await selectBackend({ requested: 'wasm' });
  });

  it('real WebGPU in Node (Dawn; SwiftShader without a GPU) trains the same numbers as the cpu backend', async () => {
    const cfgs = [tinyParity({ epochs: 2 }), tinyModAdd({}, { epochs: 1, batchSize: 30 })];
    const reference: SeedCheckpoint[][][] = [];
    await selectBackend({ requested: 'cpu' });
    for (const cfg of cfgs) reference.push(await trainCheckpoints(cfg, [0, 1]));
    const gpu = await selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu });
    expect(gpu.name).toBe('webgpu');
    expect(gpu.adapter, 'adapter description').toBeTruthy();
    for (const [i, cfg] of cfgs.entries()) {
      const rows = await trainCheckpoints(cfg, [0, 1]);
      expectRowsClose(rows, reference[i], 1e-3);
      expect(rows.flat().map((e) => e.row[METRICS_PATH_COLUMN])).toEqual(rows.flat().map(() => 1));
      expect(reference[i].flat().map((e) => e.row[METRICS_PATH_COLUMN])).toEqual(reference[i].flat().map(() => 0));
    }
  });
});

describe('a backend that never finishes starting', () => {
  it('counts as failed after the time allowed, naming what did not start', async () => {
    await expect(withinTime(new Promise(() => undefined), 20, 'the wasm backend')).rejects.toThrow(
      'the wasm backend did not finish starting within 0 s',
    );
    await expect(withinTime(Promise.resolve(true), 1000, 'the wasm backend')).resolves.toBe(true);
  });
});
