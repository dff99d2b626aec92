import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { applyUpdate, createOptimizerState } from '../../src/train/optimizers.ts';
import type { OptimizerSpec } from '../../src/train/task.ts';

beforeAll(async () => {
  await selectBackend({ requested: 'cpu' });
});

const ADAMW: OptimizerSpec = {
  kind: 'adamw',
  learningRate: 1e-2,
  beta1: 0.9,
  beta2: 0.98,
  epsilon: 1e-8,
  weightDecay: 0.5,
};
const SGD: OptimizerSpec = { kind: 'sgd', learningRate: 0.1, weightDecay: 0.01 };
const SHAPES: Record<string, number[]> = { w: [3, 4, 5], b: [3, 7] };
const STEPS = 6;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Initial values and per-step gradients, float32-representable so both sides start from the same numbers. */
function problem(seed: number) {
  const rng = createRng(seed, 'optimizer');
  const f32 = (n: number, scale: number) => Array.from({ length: n }, () => Math.fround(rng.normal() * scale));
  const init: Record<string, number[]> = {};
  const grads: Record<string, number[]>[] = [];
  for (const [name, shape] of Object.entries(SHAPES)) init[name] = f32(size(shape), 1);
  for (let t = 0; t < STEPS; t++)
    grads.push(
      Object.fromEntries(Object.entries(SHAPES).map(([name, shape]) => [name, f32(size(shape), 0.1 * (t + 1))])),
    );
  return { init, grads };
}

/** The PyTorch update rules in float64, one element at a time. */
function reference(spec: OptimizerSpec, init: number[], grads: number[][]): number[] {
  const p = init.slice();
  const m = new Array(p.length).fill(0);
  const v = new Array(p.length).fill(0);
  grads.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < p.length; i++) {
      if (spec.kind === 'sgd') {
        p[i] -= spec.learningRate * (g[i] + spec.weightDecay * p[i]);
        continue;
      }
      const { learningRate: lr, beta1, beta2, epsilon, weightDecay } = spec;
      p[i] *= 1 - lr * weightDecay;
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      const mHat = m[i] / (1 - beta1 ** t);
      const vHat = v[i] / (1 - beta2 ** t);
      p[i] -= (lr * mHat) / (Math.sqrt(vHat) + epsilon);
    }
  });
  return p;
}

/** Runs the tfjs optimizer over the problem (optionally with an alive mask) and returns the final values. */
async function run(spec: OptimizerSpec, seed: number, alive: number[] | null = null, only?: number) {
  const { init, grads } = problem(seed);
  const pick = (name: string, values: number[]) => {
    if (only === undefined) return { values, shape: SHAPES[name] };
    const per = size(SHAPES[name]) / SHAPES[name][0];
    return { values: values.slice(only * per, (only + 1) * per), shape: [1, ...SHAPES[name].slice(1)] };
  };
  const params: Record<string, tf.Variable> = {};
  for (const name of Object.keys(SHAPES)) {
    const { values, shape } = pick(name, init[name]);
    params[name] = tf.variable(tf.tensor(values, shape, 'float32'));
  }
  const state = createOptimizerState(spec, params);
  const mask = alive ? tf.tensor1d(alive, 'float32') : null;
  for (const g of grads) {
    const gt = Object.fromEntries(
      Object.keys(SHAPES).map((name) => [name, tf.tensor(pick(name, g[name]).values, params[name].shape, 'float32')]),
    );
    applyUpdate(spec, state, params, gt, mask);
    Object.values(gt).forEach((x) => x.dispose());
  }
  const out: Record<string, Float32Array> = {};
  for (const [name, p] of Object.entries(params)) out[name] = (await p.data()) as Float32Array;
  const slots = await Promise.all(
    Object.entries(state.slots).map(async ([name, s]) => [name, await Promise.all(s.map((x) => x.data()))] as const),
  );
  Object.values(params).forEach((p) => p.dispose());
  Object.values(state.slots)
    .flat()
    .forEach((s) => s.dispose());
  mask?.dispose();
  return { out, step: state.step, slots: Object.fromEntries(slots) as Record<string, Float32Array[]>, init, grads };
}

describe('applyUpdate', () => {
  for (const spec of [ADAMW, SGD]) {
    it(`${spec.kind}: ${STEPS} steps equal the float64 PyTorch rule elementwise (to float32 rounding)`, async () => {
      const { out, step, init, grads } = await run(spec, 1);
      expect(step).toBe(STEPS);
      for (const name of Object.keys(SHAPES)) {
        const ref = reference(
          spec,
          init[name],
          grads.map((g) => g[name]),
        );
        ref.forEach((r, i) =>
          expect(Math.abs(out[name][i] - r), `${name}[${i}]`).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(r))),
        );
        // the update did something: a wrong rule would not hide behind an unchanged parameter
        expect(ref.some((r, i) => Math.abs(r - init[name][i]) > 1e-3)).toBe(true);
      }
    });

    it(`${spec.kind}: each seed gets exactly the numbers it gets alone`, async () => {
      const together = await run(spec, 2);
      for (let s = 0; s < 3; s++) {
        const alone = await run(spec, 2, null, s);
        for (const name of Object.keys(SHAPES)) {
          const per = size(SHAPES[name]) / 3;
          expect(Array.from(alone.out[name])).toEqual(Array.from(together.out[name].subarray(s * per, (s + 1) * per)));
        }
      }
    });

    it(`${spec.kind}: a frozen seed keeps its parameters and moments; the live ones are unaffected by the mask`, async () => {
      const free = await run(spec, 3);
      const masked = await run(spec, 3, [1, 0, 1]);
      for (const name of Object.keys(SHAPES)) {
        const per = size(SHAPES[name]) / 3;
        expect(Array.from(masked.out[name].subarray(per, 2 * per))).toEqual(
          Array.from(Float32Array.from(free.init[name].slice(per, 2 * per))),
        );
        for (const s of [0, 2])
          expect(Array.from(masked.out[name].subarray(s * per, (s + 1) * per))).toEqual(
            Array.from(free.out[name].subarray(s * per, (s + 1) * per)),
          );
        for (const slot of masked.slots[name] ?? [])
          expect(Array.from(slot.subarray(per, 2 * per))).toEqual(new Array(per).fill(0));
      }
    });
  }

  it('refuses a parameter without a gradient, and leaves no tensors behind', () => {
    const p = { w: tf.variable(tf.zeros([2, 3])) };
    const state = createOptimizerState(ADAMW, p);
    const before = tf.memory().numTensors;
    const g = { w: tf.ones([2, 3]) };
    applyUpdate(ADAMW, state, p, g, null);
    expect(tf.memory().numTensors).toBe(before + 1); // only g itself
    expect(() => applyUpdate(ADAMW, state, p, {}, null)).toThrow('no gradient for parameter w');
    g.w.dispose();
    p.w.dispose();
    state.slots.w.forEach((s) => s.dispose());
  });
});

describe('createOptimizerState', () => {
  it('AdamW: two zero moments of each parameter’s shape; SGD: none', async () => {
    const p = { a: tf.variable(tf.ones([2, 3])), b: tf.variable(tf.ones([2])) };
    const adam = createOptimizerState(ADAMW, p);
    expect(adam.step).toBe(0);
    expect(Object.keys(adam.slots)).toEqual(['a', 'b']);
    for (const [name, slots] of Object.entries(adam.slots)) {
      expect(slots.length).toBe(2);
      for (const s of slots) {
        expect(s.shape).toEqual(p[name as 'a' | 'b'].shape);
        expect(Array.from(await s.data()).every((x) => x === 0)).toBe(true);
        expect(s.trainable).toBe(false);
      }
    }
    expect(createOptimizerState(SGD, p)).toEqual({ step: 0, slots: {} });
  });
});
