/** The speed probe before Start: a few steps of the chosen setup on wasm, measured after a warm-up, nothing kept. */
import { describe, expect, it } from 'vitest';
import { presetValues, trainingRequest } from '../../src/settings/index.ts';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { probeSpeed } from '../../src/train/speedProbe.ts';
import { speedSampleOf } from '../../src/ui/setupEstimate.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { tinyParity } from './tiny.ts';

const backend = { name: 'wasm', reason: 'asked for (test)' };

describe('the speed probe', () => {
  it('measures seed-steps per second of sparse-parity/quick with 2 seeds and leaves nothing behind', async () => {
    await selectBackend({ requested: 'wasm' });
    const settings = { ...presetValues('sparse-parity', 'quick'), seeds: 2, backend: 'wasm' };
    const { config, seeds } = trainingRequest(settings);
    const model = await createTaskModel(config);
    const tensorsBefore = tf.memory().numTensors;
    const seen: number[] = [];
    const result = await probeSpeed({
      model,
      seeds,
      backend,
      maxSteps: 5,
      maxMs: 60_000,
      onProgress: (p) => seen.push(p.stepsDone),
    });
    expect(result.stepsDone).toBe(5);
    expect(result.aliveSeeds).toBe(2);
    expect(result.seedStepsPerSecond).toBeGreaterThan(0);
    expect(result.seconds).toBeGreaterThan(0);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    // The trainer's tensors are freed and the result is plain numbers: no run, no state, nothing to store.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(Object.values(result).every((v) => typeof v === 'number')).toBe(true);
    // It is a speed measurement like a trained group's.
    const sample = speedSampleOf(settings, result, result.checkpoints);
    expect(sample).toMatchObject({ seeds: 2, stepsDone: 5 });
    expect(sample!.seconds).toBeCloseTo(result.seconds, 6);
  });

  it('stops at the time bound before the step bound', async () => {
    await selectBackend({ requested: 'wasm' });
    const config = tinyParity({ epochs: 50 });
    let t = 0;
    // Each reading of the clock moves it 100 ms: the 250 ms bound is passed within a few steps.
    const result = await probeSpeed({
      model: await createTaskModel(config),
      seeds: [1, 2],
      backend,
      maxSteps: 1000,
      maxMs: 250,
      now: () => (t += 100),
    });
    expect(result.stepsDone).toBeGreaterThan(0);
    expect(result.stepsDone).toBeLessThan(10);
  });

  it('says why when there is nothing to measure or the bounds are empty', async () => {
    await selectBackend({ requested: 'wasm' });
    // 64 examples in one batch, one epoch: the warm-up step is the whole run.
    const config = tinyParity({ epochs: 1, batchSize: 64 });
    const model = await createTaskModel(config);
    await expect(probeSpeed({ model, seeds: [1], backend, maxSteps: 5, maxMs: 1000 })).rejects.toThrow(
      /the setup ended after 1 step: too short to measure a speed/,
    );
    await expect(probeSpeed({ model, seeds: [1], backend, maxSteps: 0, maxMs: 1000 })).rejects.toThrow(
      /needs at least one step and some time \(got 0 steps/,
    );
  });
});
