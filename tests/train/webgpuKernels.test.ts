/**
 * The lean WebGPU step (src/train/webgpuKernels.ts on webgpuDispatch.ts): our WGSL programs on real WebGPU (Dawn
 * over SwiftShader here), against the wasm backend and against tfjs's own composition on the cpu backend.
 */
import { describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import {
  ATTENTION_GRAD_KERNEL,
  ATTENTION_KERNEL,
  lastPositionAttention,
  softmaxCrossEntropy,
  tokenRows,
  TOKEN_ROWS_GRAD_KERNEL,
  TOKEN_ROWS_KERNEL,
  XENT_GRAD_KERNEL,
  XENT_KERNEL,
} from '../../src/train/fusedOps.ts';
import { prepareNodeWebGpu } from '../../src/train/nodeWebgpu.ts';
import { ADAMW_KERNEL, applyUpdate, createOptimizerState } from '../../src/train/optimizers.ts';
import type { OptimizerSpec, TrainingConfig } from '../../src/train/task.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { expectRowsClose, tinyModAdd, tinyParity, trainCheckpoints } from './tiny.ts';

const onWebGpu = () => selectBackend({ requested: 'webgpu', prepareWebGpu: prepareNodeWebGpu });

const ADAMW: OptimizerSpec = {
  kind: 'adamw',
  learningRate: 1e-2,
  beta1: 0.9,
  beta2: 0.98,
  epsilon: 1e-8,
  weightDecay: 1,
};

/**
 * Sparse parity with AdamW, so its step runs the fused AdamW too (the tiny preset's SGD would not). At lr 1e-3: AdamW
 * turns a gradient near zero into a step of ±lr by its sign, so rounding that differs between backends moves such
 * a weight by up to 2·lr (at lr 1e-2, weight_mean after 4 steps differs by 2e-5 between tfjs's own cpu and wasm).
 */
const parityAdamW = (): TrainingConfig =>
  tinyParity({ epochs: 2, checkpointEvery: 2, optimizer: { ...ADAMW, learningRate: 1e-3 } });
/** 8 and 4 steps, one checkpoint at the end: on SwiftShader the checkpoint's metric pass is what a run costs. */
const modAdd = (): TrainingConfig => tinyModAdd({}, { epochs: 2, checkpointEvery: 2, batchSize: 30 });

/** The names of the kernels one training step runs. */
async function kernelsOfStep(cfg: TrainingConfig): Promise<string[]> {
  const trainer = new BatchedTrainer(await createTaskModel(cfg), [0, 1]);
  trainer.step();
  const info = await tf.profile(() => trainer.step());
  trainer.dispose();
  return info.kernelNames;
}

/** Kernels our WebGPU backend runs in place of tfjs's compositions, per task. */
const OURS: [string, () => TrainingConfig, string[]][] = [
  ['sparse parity', parityAdamW, [ADAMW_KERNEL]],
  [
    'modular addition',
    modAdd,
    [
      ADAMW_KERNEL,
      ATTENTION_KERNEL,
      ATTENTION_GRAD_KERNEL,
      XENT_KERNEL,
      XENT_GRAD_KERNEL,
      TOKEN_ROWS_KERNEL,
      TOKEN_ROWS_GRAD_KERNEL,
    ],
  ],
];

describe('the lean WebGPU step against wasm', () => {
  for (const [name, config, kernels] of OURS) {
    it(`${name} trains within 1e-3 of wasm, through our WGSL kernels`, { timeout: 300_000 }, async () => {
      const cfg = config();
      await selectBackend({ requested: 'wasm' });
      const reference = await trainCheckpoints(cfg, [0, 1]);
      await onWebGpu();
      expect(await kernelsOfStep(cfg)).toEqual(expect.arrayContaining(kernels));
      expectRowsClose(await trainCheckpoints(cfg, [0, 1]), reference, 1e-3, name, 1e-5);
    });
  }

  it('a seed trained in a batch gives the numbers it gives alone (both tasks)', { timeout: 300_000 }, async () => {
    await onWebGpu();
    for (const cfg of [parityAdamW(), modAdd()]) {
      const seeds = [3, 4];
      const batched = await trainCheckpoints(cfg, seeds);
      for (const [i, seed] of seeds.entries()) {
        const alone = await trainCheckpoints(cfg, [seed]);
        expectRowsClose(
          alone,
          batched.map((c) => [c[i]]),
          1e-5,
          `${cfg.task}, seed ${seed} batched vs alone`,
        );
      }
      expect(batched[0][0].row.l2).not.toBe(batched[0][1].row.l2);
    }
  });
});

async function valuesOf(out: tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  const list = Array.isArray(out) ? out : [out];
  const values = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(list);
  return values;
}

/** Runs `fn` on the cpu backend (tfjs's composed ops) and on webgpu (our kernels); both results as arrays. */
async function cpuAndGpu(fn: () => tf.Tensor | tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = () => valuesOf(tf.tidy(fn));
  await selectBackend({ requested: 'cpu' });
  const cpu = await run();
  await onWebGpu();
  return [cpu, await run()];
}

function expectArraysClose(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      expect([a[i], b[i]], `${what}[${i}]`).toEqual([NaN, NaN]);
      continue;
    }
    expect(Math.abs(a[i] - b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(a[i])),
    );
  }
}

describe('each WGSL kernel against tfjs composition (cpu backend)', () => {
  const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

  it('AdamW, with every seed alive and with a frozen seed (its p, m and v kept as they were)', async () => {
    for (const alive of [null, [1, 0, 1]]) {
      const update = () => {
        const params = { w: tf.variable(rand([3, 4, 5], 1)), b: tf.variable(rand([3, 7], 2)) };
        const state = createOptimizerState(ADAMW, params);
        const aliveT = alive ? tf.tensor1d(alive) : null;
        for (let step = 0; step < 3; step++)
          applyUpdate(ADAMW, state, params, { w: rand([3, 4, 5], 10 + step), b: rand([3, 7], 20 + step) }, aliveT);
        const out = [params.w, params.b, ...state.slots.w, ...state.slots.b].map((v) => v.clone());
        tf.dispose([...Object.values(params), ...Object.values(state.slots).flat()]);
        return out;
      };
      const [cpu, gpu] = await cpuAndGpu(update);
      cpu.forEach((c, i) => expectArraysClose(gpu[i], c, 1e-5, `alive ${String(alive)}, output ${i}`));
      if (alive) expectArraysClose(gpu[0].subarray(20, 40), cpu[0].subarray(20, 40), 0, 'the frozen seed');
      // tfjs's composition on the same device, without our kernel: the same f32 operations in the same order.
      const kernel = tf.getKernel(ADAMW_KERNEL, 'webgpu')!;
      tf.unregisterKernel(ADAMW_KERNEL, 'webgpu');
      try {
        const composed = await valuesOf(tf.tidy(update));
        composed.forEach((c, i) => expect(Array.from(gpu[i]), `composed, output ${i}`).toEqual(Array.from(c)));
      } finally {
        tf.registerKernel(kernel);
      }
    }
  });

  it('softmax cross-entropy and its gradient; a label outside the classes gives NaN, not a number', async () => {
    const labels = [
      [0, 4, 2],
      [3, 1, 9],
    ];
    const [cpu, gpu] = await cpuAndGpu(() => {
      const logits = rand([2, 3, 5], 3);
      const y = tf.tensor2d(labels, [2, 3], 'int32');
      const loss = softmaxCrossEntropy(logits, y);
      const grad = tf.grad((x: tf.Tensor) => tf.sum(softmaxCrossEntropy(x, y).slice([0, 0], [1, 3])))(logits);
      return [loss, grad];
    });
    const loss = gpu[0];
    expect(Number.isNaN(loss[5]), 'the loss at label 9 of 5 classes').toBe(true);
    expectArraysClose(loss.subarray(0, 5), cpu[0].subarray(0, 5), 1e-5, 'loss');
    // The gradient of the first seed only (the second holds the bad label).
    expectArraysClose(gpu[1].subarray(0, 15), cpu[1].subarray(0, 15), 1e-5, 'gradient');
  });

  it('token rows and their gradient; a token outside the vocabulary gives NaN rows', async () => {
    const [cpu, gpu] = await cpuAndGpu(() => {
      const table = rand([2, 2 * 6, 4], 5);
      const tokens = tf.tensor3d(
        [
          [
            [1, 5, 0],
            [1, 2, 3],
          ],
          [
            [4, 4, 0],
            [0, 5, 2],
          ],
        ],
        [2, 2, 3],
        'int32',
      );
      const out = tokenRows(table, tokens, [0, 1], 6);
      const dy = rand([2, 2, 2, 4], 6);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tokenRows(t, tokens, [0, 1], 6), dy)))(table);
      return [out, grad];
    });
    cpu.forEach((c, i) => expectArraysClose(gpu[i], c, 1e-5, `output ${i}`));
    await onWebGpu();
    const bad = tf.tidy(() => tokenRows(tf.ones([1, 6, 2]), tf.tensor3d([[[0, 7]]], [1, 1, 2], 'int32'), [0, 1], 3));
    const values = Array.from(await bad.data());
    bad.dispose();
    expect(values.slice(0, 2)).toEqual([1, 1]);
    expect(values.slice(2).every(Number.isNaN), 'the row of token 7 of 3').toBe(true);
  });

  it('the last position’s attention and its gradients', async () => {
    const [cpu, gpu] = await cpuAndGpu(() => {
      const q = rand([2, 3, 2, 4], 7);
      const k = rand([2, 3, 3, 2, 4], 8);
      const v = rand([2, 3, 3, 2, 4], 9);
      const w = rand([2, 3, 8], 11);
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(lastPositionAttention(a, b, c), w));
      return [lastPositionAttention(q, k, v), ...tf.grads(f)([q, k, v])];
    });
    cpu.forEach((c, i) => expectArraysClose(gpu[i], c, 1e-5, `output ${i}`));
  });
});
