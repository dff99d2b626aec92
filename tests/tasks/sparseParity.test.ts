import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import { createTaskModel, trainingConfig } from '../../tasks/index.ts';
import { parityData, PARITY_PAPER } from '../../tasks/sparse-parity/data.ts';

describe('sparse parity (method.md §2)', () => {
  it('paper preset: 40 bits, parity of 3, MLP 40→1000→1, SGD lr 0.1 with L2 0.01, batch 32, 300 epochs, a checkpoint every epoch', async () => {
    const cfg = trainingConfig('sparse-parity', 'paper');
    expect(cfg).toMatchObject({
      epochs: 300,
      checkpointEvery: 1,
      batchSize: 32,
      optimizer: { kind: 'sgd', learningRate: 0.1, weightDecay: 0.01 },
    });
    expect(cfg.model).toEqual({ bits: 40, parityBits: 3, hidden: 1000, nTrain: 1000, nEval: 100 });
    const model = await createTaskModel(cfg);
    expect(model.params.map((p) => [p.name, p.shape.join('×'), p.role])).toEqual([
      ['W1', '1000×40', 'matrix'],
      ['b1', '1000', 'bias'],
      ['W2', '1×1000', 'matrix'],
      ['b2', '1', 'bias'],
    ]);
    expect(trainingConfig('sparse-parity', 'quick')).toMatchObject({ epochs: 200, batchSize: 32 });
  });

  it('x ∈ {−1, +1}^40 uniform, y = x0·x1·x2, 1000 train and 100 eval examples drawn per seed', () => {
    const d = parityData(PARITY_PAPER, 3);
    expect([d.nTrain, d.nEval, d.trainInputs.length, d.evalInputs.length]).toEqual([1000, 100, 40000, 4000]);
    let ones = 0;
    for (let i = 0; i < d.nTrain; i++) {
      const x = d.trainInputs.subarray(i * 40, (i + 1) * 40);
      expect(x.every((v) => v === 1 || v === -1)).toBe(true);
      expect(d.trainLabels[i]).toBe(x[0] * x[1] * x[2]);
      ones += x.filter((v) => v === 1).length;
    }
    expect(ones / 40000).toBeGreaterThan(0.48);
    expect(ones / 40000).toBeLessThan(0.52);
    expect(parityData(PARITY_PAPER, 3)).toEqual(d);
    expect(parityData(PARITY_PAPER, 4).trainInputs).not.toEqual(d.trainInputs);
  });

  it('Glorot-uniform weights within ±√(6/(fan_in+fan_out)), zero biases', async () => {
    const model = await createTaskModel(trainingConfig('sparse-parity', 'paper'));
    const w1 = model.params[0];
    const v = new Float32Array(40000);
    w1.init(createRng(0), v);
    const a = Math.sqrt(6 / 1040);
    expect(Math.max(...v)).toBeLessThanOrEqual(a);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-a);
    expect(Math.max(...v)).toBeGreaterThan(0.99 * a);
    const b = new Float32Array(1000).fill(5);
    model.params[1].init(createRng(0), b);
    expect(b.every((x) => x === 0)).toBe(true);
  });
});
