/**
 * Each seed's examples, stacked for the batched graph: its training batches (its own shuffled order every epoch,
 * seeded by the seed and the epoch alone) as one [S, B, …] tensor per step, and its splits in chunks to evaluate.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../numeric/rng.ts';
import type { SeedData, TaskModel } from './task.ts';

export class SeedBatches {
  private orderCache: { epoch: number; orders: Int32Array[] } | null = null;

  constructor(
    private readonly task: TaskModel,
    private readonly seeds: readonly number[],
    private readonly data: readonly SeedData[],
  ) {}

  /** The training examples of batch `b` of `epoch`, for every seed: inputs [S,B,w] and labels [S,B]. */
  tensors(epoch: number, b: number): { inputs: tf.Tensor; labels: tf.Tensor } {
    const { batchSize } = this.task.config;
    const w = this.task.inputWidth;
    const nTrain = this.data[0].nTrain;
    const from = b * batchSize;
    const size = Math.min(batchSize, nTrain - from);
    const s = this.seeds.length;
    const { inputs, labels } = this.arrays(size);
    this.seeds.forEach((seed, i) => {
      const order = this.epochOrder(epoch, i, seed);
      const d = this.data[i];
      for (let r = 0; r < size; r++) {
        const ex = order[from + r];
        const o = (i * size + r) * w;
        for (let j = 0; j < w; j++) inputs[o + j] = d.trainInputs[ex * w + j];
        labels[i * size + r] = d.trainLabels[ex];
      }
    });
    return {
      inputs: tf.tensor(inputs, [s, size, w], this.task.inputDtype),
      labels: tf.tensor(labels, [s, size], this.task.labelDtype),
    };
  }

  /** Examples from..from+size of a split, every seed's stacked: inputs [S, size, w] and labels [S, size]. */
  examples(split: 'train' | 'eval', from: number, size: number): ReturnType<SeedBatches['arrays']> {
    const w = this.task.inputWidth;
    const out = this.arrays(size);
    this.data.forEach((d, i) => {
      const src = split === 'train' ? d.trainInputs : d.evalInputs;
      const lab = split === 'train' ? d.trainLabels : d.evalLabels;
      out.inputs.set(src.subarray(from * w, (from + size) * w), i * size * w);
      out.labels.set(lab.subarray(from, from + size), i * size);
    });
    return out;
  }

  /** Empty input [S, size, w] and label [S, size] arrays of the task's dtypes. */
  private arrays(size: number): { inputs: Int32Array | Float32Array; labels: Int32Array | Float32Array } {
    const s = this.seeds.length;
    const n = s * size * this.task.inputWidth;
    return {
      inputs: this.task.inputDtype === 'int32' ? new Int32Array(n) : new Float32Array(n),
      labels: this.task.labelDtype === 'int32' ? new Int32Array(s * size) : new Float32Array(s * size),
    };
  }

  /** Seed i's shuffled order of training examples for `epoch` (seeded by seed and epoch). */
  private epochOrder(epoch: number, i: number, seed: number): Int32Array {
    if (this.orderCache?.epoch !== epoch) this.orderCache = { epoch, orders: [] };
    let order = this.orderCache.orders[i];
    if (!order) {
      order = Int32Array.from({ length: this.data[i].nTrain }, (_, k) => k);
      createRng(seed, 'batch-order', epoch).shuffle(order);
      this.orderCache.orders[i] = order;
    }
    return order;
  }
}

/** Seeds [from, to) of a tensor with a leading seed dimension. */
export function sliceSeeds(t: tf.Tensor, from: number, to: number): tf.Tensor {
  return tf.slice(t, [from, ...new Array<number>(t.rank - 1).fill(0)], [to - from, ...t.shape.slice(1)]);
}
