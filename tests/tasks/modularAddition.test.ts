import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import { modularAdditionData, MODADD_PAPER } from '../../tasks/modular-addition/data.ts';
import { createTaskModel, trainingConfig } from '../../tasks/index.ts';

describe('modular addition (method.md §2)', () => {
  it('paper preset: p = 113, 30% of the p² pairs for training, AdamW (0.9, 0.98), lr 1e-3, wd 1, batch 2048, 10,000 epochs, a checkpoint every 10', async () => {
    const cfg = trainingConfig('modular-addition', 'paper');
    expect(cfg).toMatchObject({ epochs: 10000, checkpointEvery: 10, batchSize: 2048, convergenceThreshold: 0.9 });
    expect(cfg.optimizer).toEqual({
      kind: 'adamw',
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.98,
      epsilon: 1e-8,
      weightDecay: 1,
    });
    expect(cfg.model).toEqual({ ...MODADD_PAPER });
    const data = (await createTaskModel(cfg)).makeData(0);
    expect([data.nTrain, data.nEval]).toEqual([3830, 8939]);
  });

  it('stabilized: post-LN and batch 256; quick: full batch', async () => {
    const s = trainingConfig('modular-addition', 'stabilized');
    expect([s.model.layerNorm, s.batchSize]).toEqual([true, 256]);
    expect((await createTaskModel(s)).params.filter((p) => p.name.startsWith('ln')).map((p) => p.role)).toEqual([
      'excluded',
      'excluded',
      'excluded',
      'excluded',
    ]);
    const q = trainingConfig('modular-addition', 'quick');
    expect((await createTaskModel(q)).makeData(0).nTrain).toBe(q.batchSize);
  });

  it('tokens [i, j, =] with = as token p, labels (i + j) mod p; every pair once, split by seed', () => {
    const s = { ...MODADD_PAPER, modulus: 7, trainFraction: 0.3 };
    const d = modularAdditionData(s, 4);
    expect(d.nTrain).toBe(14);
    const pairs = new Set<number>();
    for (const [x, y, n] of [
      [d.trainInputs, d.trainLabels, d.nTrain],
      [d.evalInputs, d.evalLabels, d.nEval],
    ] as const) {
      for (let r = 0; r < n; r++) {
        const [i, j, eq] = [x[r * 3], x[r * 3 + 1], x[r * 3 + 2]];
        expect(eq).toBe(7);
        expect(y[r]).toBe((i + j) % 7);
        pairs.add(i * 7 + j);
      }
    }
    expect(pairs.size).toBe(49);
    expect(modularAdditionData(s, 4)).toEqual(d);
    expect(modularAdditionData(s, 5).trainInputs).not.toEqual(d.trainInputs);
  });

  it('metrics count the 15 paper matrices (Q, K, V per head, O, in, out) and the two MLP biases', async () => {
    const model = await createTaskModel(trainingConfig('modular-addition', 'paper'));
    const matrices = model.params
      .filter((p) => p.role === 'matrix')
      .reduce((n, p) => n + (p.shape.length === 3 ? p.shape[0] : 1), 0);
    expect(matrices).toBe(15);
    expect(model.params.filter((p) => p.role === 'matrix').map((p) => [p.name, p.shape.join('×')])).toEqual([
      ['W_Q', '4×32×128'],
      ['W_K', '4×32×128'],
      ['W_V', '4×32×128'],
      ['W_O', '128×128'],
      ['W_in', '512×128'],
      ['W_out', '128×512'],
    ]);
    expect(model.params.filter((p) => p.role === 'bias').map((p) => p.name)).toEqual(['b_in', 'b_out']);
    expect(model.params.filter((p) => p.role === 'excluded').map((p) => p.name)).toEqual(['W_E', 'W_pos', 'W_U']);
  });

  it('init: matrices ~ N(0, 1/d_model), the unembedding ~ N(0, 1/(p+1)), biases 0', async () => {
    const model = await createTaskModel(trainingConfig('modular-addition', 'paper'));
    const std = (name: string) => {
      const p = model.params.find((q) => q.name === name)!;
      const v = new Float32Array(p.shape.reduce((a, b) => a * b, 1));
      p.init(createRng(1, name), v);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    };
    for (const name of ['W_E', 'W_Q', 'W_O', 'W_in', 'W_out']) expect(std(name)).toBeCloseTo(1 / Math.sqrt(128), 2);
    expect(std('W_U')).toBeCloseTo(1 / Math.sqrt(114), 2);
    expect(std('b_in')).toBe(0);
  });
});
