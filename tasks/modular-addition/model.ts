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
import { lastPositionAttention, softmaxCrossEntropy, tokenRows } from '../../src/train/fusedOps.ts';
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
      // Every residual row entering attention is W_E[token] + W_pos[position]: there are only 3·V of them per seed,
      // so keys and values (and the query, read at the last position) are computed once per (position, token)
      // and gathered per example; their gradients are summed back per row (method.md §2: the same model).
      const rows = tf.add(w.W_E.reshape([sn, 1, vocab, d]), w.W_pos.reshape([sn, 3, 1, d])); // [S, 3, V, d]
      const flatRows = rows.reshape([sn, 3 * vocab, d]);
      const lastRows = rows.slice([0, 2, 0, 0], [sn, 1, vocab, d]).reshape([sn, vocab, d]);
      const keyTable = tf.matMul(flatRows, w.W_K.reshape([sn, h * dh, d]), false, true); // [S, 3V, h·dh]
      const valueTable = tf.matMul(flatRows, w.W_V.reshape([sn, h * dh, d]), false, true);
      const queryTable = tf.matMul(lastRows, w.W_Q.reshape([sn, h * dh, d]), false, true); // [S, V, h·dh]
      const keys = tokenRows(keyTable, x, [0, 1, 2], vocab).reshape([sn, b, 3, h, dh]);
      const values = tokenRows(valueTable, x, [0, 1, 2], vocab).reshape([sn, b, 3, h, dh]);
      const q = tokenRows(queryTable, x, [2], vocab).reshape([sn, b, h, dh]);
      const last = tokenRows(lastRows, x, [2], vocab).reshape([sn, b, d]);
      // The last position attends to all three (causal mask allows every earlier position).
      const z = lastPositionAttention(q, keys, values); // [S, B, h·dh]
      let xr = tf.add(last, tf.matMul(z, w.W_O, false, true));
      if (s.layerNorm) xr = layerNorm(xr, w.ln1_g, w.ln1_b);
      const hidden = tf.relu(tf.add(tf.matMul(xr, w.W_in, false, true), w.b_in.reshape([sn, 1, m])));
      let out = tf.add(xr, tf.add(tf.matMul(hidden, w.W_out, false, true), w.b_out.reshape([sn, 1, d])));
      if (s.layerNorm) out = layerNorm(out, w.ln2_g, w.ln2_b);
      return tf.matMul(out, w.W_U);
    },
    exampleLoss: (logits, labels) => softmaxCrossEntropy(logits, labels),
    exampleCorrect: (logits, labels) => tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'float32'),
    // Gathered keys and values, attention, residuals, the MLP and the logits, forward and backward, with slack
    // for the temporaries tfjs keeps: about 2 × (3·(2d + 2) + 4d + 2·d_mlp + 2p).
    activationFloatsPerExample: 2 * (3 * (2 * d + 2) + 4 * d + 2 * m + 2 * p) * 2,
    // Nanda et al.'s progress measures: the Fourier spectrum of the token embedding (fourier.ts).
    checkpointColumns: { params: ['W_E'], compute: (w) => fourierRow(w.W_E, p, d) },
  };
}
