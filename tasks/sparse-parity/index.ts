/**
 * Sparse parity (Barak et al. 2022), SPEC §3: x ∈ {−1,+1}^n uniform, y = x_0·x_1·x_2 (the authors' code
 * computes parity; the paper's text says AND). MLP n → hidden → 1 with ReLU, Glorot init, zero biases,
 * hinge loss max(0, 1 − y·f(x)), SGD with L2 weight decay added to the gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/numeric/rng.ts';
import type { SeedData, TaskModel, TrainingConfig } from '../../src/train/task.ts';
import { glorotUniform, zeros } from '../init.ts';

export interface SparseParitySettings {
  bits: number;
  parityBits: number;
  hidden: number;
  nTrain: number;
  nEval: number;
}

export const PARITY_PAPER: SparseParitySettings = { bits: 40, parityBits: 3, hidden: 1000, nTrain: 1000, nEval: 100 };

/** Examples drawn per seed: the seed fixes the sample (the "split") and nothing else. */
export function parityData(s: SparseParitySettings, seed: number): SeedData {
  const rng = createRng(seed, 'sparse-parity-data');
  const draw = (n: number) => {
    const x = new Float32Array(n * s.bits);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let prod = 1;
      for (let j = 0; j < s.bits; j++) {
        const v = rng.next() < 0.5 ? -1 : 1;
        x[i * s.bits + j] = v;
        if (j < s.parityBits) prod *= v;
      }
      y[i] = prod;
    }
    return { x, y };
  };
  const train = draw(s.nTrain);
  const evaluation = draw(s.nEval);
  return { trainInputs: train.x, trainLabels: train.y, evalInputs: evaluation.x, evalLabels: evaluation.y, nTrain: s.nTrain, nEval: s.nEval };
}

export function sparseParityModel(config: TrainingConfig): TaskModel {
  const s: SparseParitySettings = {
    bits: Number(config.model.bits),
    parityBits: Number(config.model.parityBits),
    hidden: Number(config.model.hidden),
    nTrain: Number(config.model.nTrain),
    nEval: Number(config.model.nEval),
  };
  for (const [k, v] of Object.entries(s)) if (!(Number.isInteger(v) && v >= 1)) throw new Error(`sparse parity: ${k} must be a whole number ≥ 1, got ${v}`);
  if (s.parityBits > s.bits) throw new Error(`sparse parity: parityBits (${s.parityBits}) cannot exceed bits (${s.bits})`);
  return {
    config,
    // PyTorch's Linear layout: weight [out, in].
    params: [
      { name: 'W1', shape: [s.hidden, s.bits], init: glorotUniform(s.bits, s.hidden), role: 'matrix' },
      { name: 'b1', shape: [s.hidden], init: zeros, role: 'bias' },
      { name: 'W2', shape: [1, s.hidden], init: glorotUniform(s.hidden, 1), role: 'matrix' },
      { name: 'b2', shape: [1], init: zeros, role: 'bias' },
    ],
    inputDtype: 'float32',
    inputWidth: s.bits,
    labelDtype: 'float32',
    makeData: (seed) => parityData(s, seed),
    forward(p, x) {
      const [sn] = x.shape;
      const h = tf.relu(tf.add(tf.matMul(x, p.W1, false, true), p.b1.reshape([sn, 1, s.hidden])));
      return tf.add(tf.matMul(h, p.W2, false, true), p.b2.reshape([sn, 1, 1]));
    },
    exampleLoss: (out, y) => tf.relu(tf.sub(1, tf.mul(y, out.squeeze([2])))),
    exampleCorrect: (out, y) => tf.cast(tf.equal(tf.sign(out.squeeze([2])), y), 'float32'),
    // pre-activation, ReLU output and their gradients per hidden unit, plus the input.
    activationFloatsPerExample: 4 * s.hidden + 2 * s.bits,
  };
}
