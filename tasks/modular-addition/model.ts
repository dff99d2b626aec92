/**
 * Modular addition (Nanda et al. 2023), method.md §2: tokens [i, j, =], label (i + j) mod p, a seeded split of
 * all p² pairs, a one-layer transformer with learned token and position embeddings, causal attention and
 * a ReLU MLP, logits read at the last position; optional post-LN (the "stabilized" variant).
 *
 * Only the last position's output is read and the model has one layer, so queries, the attention output
 * and the MLP are computed at that position alone; keys and values use all three. Logits and gradients
 * are the same as running every position, at a third of the cost.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, TaskModel, TrainingConfig } from '../../src/train/task.ts';
import { normal, ones, zeros } from '../init.ts';
import { modularAdditionData, settingsFrom } from './data.ts';
import { fourierRow } from './fourier.ts';

function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  const [sn, , d] = x.shape;
  return tf.add(
    tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g.reshape([sn, 1, d])),
    b.reshape([sn, 1, d]),
  );
}

export function modularAdditionModel(config: TrainingConfig): TaskModel {
  const s = settingsFrom(config.model);
  const { modulus: p, dModel: d, heads: h, dHead: dh, dMlp: m } = s;
  const vocab = p + 1;
  const params: ParamSpec[] = [
    { name: 'W_E', shape: [vocab, d], init: normal(1 / Math.sqrt(d)), role: 'excluded' },
    { name: 'W_pos', shape: [3, d], init: normal(1 / Math.sqrt(d)), role: 'excluded' },
    { name: 'W_Q', shape: [h, dh, d], init: normal(1 / Math.sqrt(d)), role: 'matrix' },
    { name: 'W_K', shape: [h, dh, d], init: normal(1 / Math.sqrt(d)), role: 'matrix' },
    { name: 'W_V', shape: [h, dh, d], init: normal(1 / Math.sqrt(d)), role: 'matrix' },
    { name: 'W_O', shape: [d, h * dh], init: normal(1 / Math.sqrt(d)), role: 'matrix' },
    { name: 'W_in', shape: [m, d], init: normal(1 / Math.sqrt(d)), role: 'matrix' },
    { name: 'b_in', shape: [m], init: zeros, role: 'bias' },
    { name: 'W_out', shape: [d, m], init: normal(1 / Math.sqrt(d)), role: 'matrix' },
    { name: 'b_out', shape: [d], init: zeros, role: 'bias' },
    { name: 'W_U', shape: [d, p], init: normal(1 / Math.sqrt(vocab)), role: 'excluded' },
  ];
  if (s.layerNorm) {
    params.push(
      { name: 'ln1_g', shape: [d], init: ones, role: 'excluded' },
      { name: 'ln1_b', shape: [d], init: zeros, role: 'excluded' },
      { name: 'ln2_g', shape: [d], init: ones, role: 'excluded' },
      { name: 'ln2_b', shape: [d], init: zeros, role: 'excluded' },
    );
  }
  return {
    config,
    params,
    inputDtype: 'int32',
    inputWidth: 3,
    labelDtype: 'int32',
    makeData: (seed) => modularAdditionData(s, seed),
    forward(w, x) {
      const [sn, b] = x.shape;
      // Embedding as a one-hot product: a matmul per seed on every backend, and its gradient is one too.
      const emb = tf.matMul(tf.oneHot(x.reshape([sn, b * 3]) as tf.Tensor2D, vocab), w.W_E).reshape([sn, b, 3, d]);
      const resid = tf.add(emb, w.W_pos.reshape([sn, 1, 3, d]));
      const flat = resid.reshape([sn, b * 3, d]);
      const keys = tf.matMul(flat, w.W_K.reshape([sn, h * dh, d]), false, true).reshape([sn, b, 3, h, dh]);
      const values = tf.matMul(flat, w.W_V.reshape([sn, h * dh, d]), false, true).reshape([sn, b, 3, h, dh]);
      const last = resid.slice([0, 0, 2, 0], [sn, b, 1, d]).reshape([sn, b, d]);
      const q = tf.matMul(last, w.W_Q.reshape([sn, h * dh, d]), false, true).reshape([sn, b, 1, h, dh]);
      // The last position attends to all three (causal mask allows every earlier position).
      const scores = tf.div(tf.sum(tf.mul(q, keys), -1), Math.sqrt(dh)); // [S, B, 3, H]
      const attn = tf.softmax(tf.transpose(scores, [0, 1, 3, 2])); // [S, B, H, 3]
      const z = tf
        .sum(tf.mul(attn.reshape([sn, b, h, 3, 1]), tf.transpose(values, [0, 1, 3, 2, 4])), 3)
        .reshape([sn, b, h * dh]);
      let xr = tf.add(last, tf.matMul(z, w.W_O, false, true));
      if (s.layerNorm) xr = layerNorm(xr, w.ln1_g, w.ln1_b);
      const hidden = tf.relu(tf.add(tf.matMul(xr, w.W_in, false, true), w.b_in.reshape([sn, 1, m])));
      let out = tf.add(xr, tf.add(tf.matMul(hidden, w.W_out, false, true), w.b_out.reshape([sn, 1, d])));
      if (s.layerNorm) out = layerNorm(out, w.ln2_g, w.ln2_b);
      return tf.matMul(out, w.W_U);
    },
    exampleLoss(logits, labels) {
      // A stable log-softmax: late in grokking float32 logits saturate.
      const logp = tf.logSoftmax(logits);
      return tf.neg(tf.sum(tf.mul(logp, tf.oneHot(labels as tf.Tensor2D, p)), -1));
    },
    exampleCorrect: (logits, labels) => tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'float32'),
    // One-hot tokens, residuals, keys, values, the MLP and the logits, forward and backward, with slack
    // for the temporaries tfjs keeps: about 2 × (3·(V + 3d) + 4d + 2·d_mlp + 2p).
    activationFloatsPerExample: 2 * (3 * (vocab + 3 * d) + 4 * d + 2 * m + 2 * p) * 2,
    // Nanda et al.'s progress measures: the Fourier spectrum of the token embedding (fourier.ts).
    checkpointColumns: { params: ['W_E'], compute: (w) => fourierRow(w.W_E, p, d) },
  };
}
