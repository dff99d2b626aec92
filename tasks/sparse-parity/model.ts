/**
 * Sparse parity (Barak et al. 2022), method.md §2: x ∈ {−1,+1}^n uniform, y = x_0·x_1·x_2 (the authors' code
 * computes parity; the paper's text says AND). MLP n → hidden → 1 with ReLU, Glorot init, zero biases,
 * hinge loss max(0, 1 − y·f(x)), SGD with L2 weight decay added to the gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { TaskModel, TrainingConfig } from '../../src/train/task.ts';
import { glorotUniform, zeros } from '../init.ts';
import { parityData, paritySettings } from './data.ts';

export function sparseParityModel(config: TrainingConfig): TaskModel {
  const s = paritySettings(config.model);
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
