import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { BatchedTrainer } from '../../src/train/batchedTrainer.ts';
import type { TaskModel } from '../../src/train/task.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { modAddLoss, parityLoss, type ModAddDims, type Params } from './reference.ts';
import { tinyModAdd, tinyParity } from './tiny.ts';

beforeAll(async () => {
  await selectBackend({ requested: 'cpu' });
});

afterAll(async () => {
  await selectBackend({ requested: 'cpu' });
});

/** tfjs loss and gradients for seed 0's first batch; the float64 loss of the same parameters; finite differences. */
async function check(
  model: TaskModel,
  f64Loss: (w: Params, x: Int32Array | Float32Array, y: Int32Array | Float32Array, n: number) => number,
) {
  const trainer = new BatchedTrainer(model, [7]);
  // Move away from the symmetric init a little, so every parameter has a gradient worth checking.
  for (let i = 0; i < 3; i++) trainer.step();
  const data = trainer.data[0];
  const n = Math.min(24, data.nTrain);
  const w = model.inputWidth;
  const x = data.trainInputs.slice(0, n * w);
  const y = data.trainLabels.slice(0, n);
  const xs = tf.tensor(x, [1, n, w], model.inputDtype);
  const ys = tf.tensor(y, [1, n], model.labelDtype);
  const vars = Object.values(trainer.params);
  const { value, grads } = tf.variableGrads(
    () => tf.mean(model.exampleLoss(model.forward(trainer.params, xs), ys)) as tf.Scalar,
    vars,
  );
  const tfLoss = (await value.data())[0];
  const params: Params = {};
  for (const [name, v] of Object.entries(trainer.params))
    params[name] = Float64Array.from((await v.data()) as Float32Array);
  const refLoss = f64Loss(params, x, y, n);
  expect(Math.abs(tfLoss - refLoss) / Math.abs(refLoss), 'forward: tfjs loss vs float64 reference').toBeLessThan(1e-5);
  const rng = createRng(1, 'fd');
  for (const [name, v] of Object.entries(trainer.params)) {
    const g = (await grads[v.name].data()) as Float32Array;
    const coords = Array.from({ length: Math.min(12, g.length) }, () => rng.int(g.length));
    let num = 0;
    let den = 0;
    for (const c of coords) {
      const eps = 1e-6;
      const keep = params[name][c];
      params[name][c] = keep + eps;
      const up = f64Loss(params, x, y, n);
      params[name][c] = keep - eps;
      const down = f64Loss(params, x, y, n);
      params[name][c] = keep;
      const fd = (up - down) / (2 * eps);
      num += (g[c] - fd) ** 2;
      den += fd ** 2;
    }
    if (den < 1e-20) continue;
    expect(Math.sqrt(num / den), `gradient of ${name}: relative error vs finite differences`).toBeLessThan(2e-3);
  }
  tf.dispose([xs, ys, value, ...Object.values(grads)]);
  trainer.dispose();
}

describe('gradients match finite differences of float64 references', () => {
  it('sparse parity MLP (hinge loss)', async () => {
    const model = await createTaskModel(tinyParity());
    const s = model.config.model;
    await check(model, (w, x, y, n) =>
      parityLoss(w, x as Float32Array, y as Float32Array, n, Number(s.bits), Number(s.hidden)),
    );
  });

  // On cpu the attention and the loss are composed of tfjs ops; on wasm they are fused kernels (src/train/fusedOps.ts).
  for (const [backend, layerNorm] of [
    ['cpu', false],
    ['cpu', true],
    ['wasm', false],
    ['wasm', true],
  ] as const) {
    it(`one-layer transformer on modular addition${layerNorm ? ' with post-LN' : ''} (${backend})`, async () => {
      await selectBackend({ requested: backend });
      const cfg = tinyModAdd({ layerNorm });
      const model = await createTaskModel(cfg);
      const s = cfg.model;
      const dims: ModAddDims = {
        p: Number(s.modulus),
        d: Number(s.dModel),
        h: Number(s.heads),
        dh: Number(s.dHead),
        m: Number(s.dMlp),
        layerNorm,
      };
      await check(model, (w, x, y, n) => modAddLoss(w, x as Int32Array, y as Int32Array, n, dims));
    });
  }
});
