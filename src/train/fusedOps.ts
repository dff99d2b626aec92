/**
 * Operations the models run as one kernel where a backend registers one (wasm: src/train/wasmFusedKernels.ts,
 * webgpu: src/train/webgpuKernels.ts), each with its gradient as a second kernel; elsewhere they are composed of
 * tfjs ops, as they were before fusing. A fused kernel rounds differently from the composition (its sums run in
 * another order), so a backend's numbers change with it, but within a backend a seed's numbers never depend on
 * the seeds beside it: every kernel works on one (seed, example) row at a time.
 */
import * as tf from '@tensorflow/tfjs';

export const ATTENTION_KERNEL = 'TrainmapLastPositionAttention';
export const ATTENTION_GRAD_KERNEL = 'TrainmapLastPositionAttentionGrad';
export const XENT_KERNEL = 'TrainmapSoftmaxCrossEntropy';
export const XENT_GRAD_KERNEL = 'TrainmapSoftmaxCrossEntropyGrad';
export const TOKEN_ROWS_KERNEL = 'TrainmapTokenRows';
export const TOKEN_ROWS_GRAD_KERNEL = 'TrainmapTokenRowsGrad';

/** The attributes of TOKEN_ROWS_KERNEL and its gradient. */
export interface TokenRowsAttrs {
  /** Which token columns are looked up, in the order of the table's blocks. */
  positions: number[];
  /** Rows per block (the vocabulary size). */
  vocab: number;
}

/** Per backend, whether its fused kernels can run in this runtime (wasm: only with WebAssembly SIMD). */
const support = new Map<string, () => boolean>();

/** A backend that registers the fused kernels says how to tell whether they can run here. */
export function registerFusedSupport(backend: string, available: () => boolean): void {
  support.set(backend, available);
}

function fused(...kernels: string[]): boolean {
  const backend = tf.getBackend();
  return (support.get(backend)?.() ?? true) && kernels.every((k) => tf.getKernel(k, backend) !== undefined);
}

/**
 * The last position's attention over three positions (one layer, causal: it sees all three), per head:
 * q [S, B, H, dh], keys and values [S, B, 3, H, dh] → z [S, B, H·dh], z = Σ_j softmax_j(q·k_j / √dh) v_j.
 * The fused kernels take heads whose width is a multiple of 4 (their vector lanes).
 */
export function lastPositionAttention(q: tf.Tensor, keys: tf.Tensor, values: tf.Tensor): tf.Tensor {
  const [s, b, h, dh] = q.shape;
  if (dh % 4 !== 0 || !fused(ATTENTION_KERNEL, ATTENTION_GRAD_KERNEL)) {
    const scores = tf.div(tf.sum(tf.mul(q.reshape([s, b, 1, h, dh]), keys), -1), Math.sqrt(dh)); // [S, B, 3, H]
    const attn = tf.softmax(tf.transpose(scores, [0, 1, 3, 2])); // [S, B, H, 3]
    return tf
      .sum(tf.mul(attn.reshape([s, b, h, 3, 1]), tf.transpose(values, [0, 1, 3, 2, 4])), 3)
      .reshape([s, b, h * dh]);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [qq, kk, vv] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [z, probs] = tf.engine().runKernel(ATTENTION_KERNEL, { q: qq, keys: kk, values: vv }, {}) as tf.Tensor[];
    save([qq, kk, vv, probs]);
    return {
      value: z,
      gradFunc: (dz, saved) => {
        const [sq, sk, sv, sp] = saved;
        return tf
          .engine()
          .runKernel(
            ATTENTION_GRAD_KERNEL,
            { dz: dz as tf.Tensor, q: sq, keys: sk, values: sv, probs: sp },
            {},
          ) as tf.Tensor[];
      },
    };
  });
  return op(q, keys, values).reshape([s, b, h * dh]);
}

/** Cross-entropy of softmax(logits) [S, B, C] at integer labels [S, B] (int32), per example: [S, B]. */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const classes = logits.shape[logits.rank - 1];
  if (!fused(XENT_KERNEL, XENT_GRAD_KERNEL)) {
    // A stable log-softmax: late in grokking float32 logits saturate.
    const logp = tf.logSoftmax(logits);
    return tf.neg(tf.sum(tf.mul(logp, tf.oneHot(labels as tf.Tensor2D, classes)), -1));
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[1] as tf.GradSaveFunc;
    const [loss, probs] = tf
      .engine()
      .runKernel(XENT_KERNEL, { logits: args[0] as tf.Tensor, labels }, {}) as tf.Tensor[];
    // Saved, not only closed over: the labels may be a temporary of the forward pass, gone by the backward one.
    save([probs, labels]);
    return {
      value: loss,
      gradFunc: (dloss, [p, y]) =>
        tf.engine().runKernel(XENT_GRAD_KERNEL, { probs: p, labels: y, dloss: dloss as tf.Tensor }, {}) as tf.Tensor,
    };
  });
  return op(logits);
}

/**
 * Rows of a per-seed table looked up by tokens: table [S, K·V, d] holds K blocks of V rows, tokens [S, B, w] (int32);
 * out[s, b, k] = table[s, k·V + tokens[s, b, positions[k]]] → [S, B, K, d]. Its gradient sums the rows of dy into
 * the rows they were read from, example by example in order (so a seed's sums never depend on other seeds).
 */
export function tokenRows(table: tf.Tensor, tokens: tf.Tensor, positions: number[], vocab: number): tf.Tensor {
  const [s, rows, d] = table.shape;
  const [, b, w] = tokens.shape;
  const k = positions.length;
  if (rows !== k * vocab) throw new Error(`tokenRows: a table of ${rows} rows is not ${k} blocks of ${vocab}`);
  if (positions.some((p) => !(Number.isInteger(p) && p >= 0 && p < w)))
    throw new Error(`tokenRows: positions [${positions.join(', ')}] are not all columns of ${w}-token inputs`);
  const attrs: TokenRowsAttrs = { positions, vocab };
  if (!fused(TOKEN_ROWS_KERNEL, TOKEN_ROWS_GRAD_KERNEL)) {
    // Indices into the table flattened over seeds: s·K·V + k·V + token.
    const columns = tf.concat(
      positions.map((p) => tokens.slice([0, 0, p], [s, b, 1])),
      2,
    ); // [S, B, K]
    const base = tf.add(
      tf.mul(tf.range(0, s, 1, 'int32').reshape([s, 1, 1]), tf.scalar(k * vocab, 'int32')),
      tf
        .tensor1d(
          positions.map((_, i) => i * vocab),
          'int32',
        )
        .reshape([1, 1, k]),
    );
    const flat = tf.add(base, columns).reshape([s * b * k]);
    return tf.gather(table.reshape([s * rows, d]), flat).reshape([s, b, k, d]);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[1] as tf.GradSaveFunc;
    const t = args[0] as tf.Tensor;
    const out = tf
      .engine()
      .runKernel(TOKEN_ROWS_KERNEL, { table: t, tokens }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    save([tokens]);
    return {
      value: out,
      gradFunc: (dy, [x]) =>
        tf.engine().runKernel(TOKEN_ROWS_GRAD_KERNEL, { dy: dy as tf.Tensor, tokens: x }, {
          ...attrs,
          rows,
        } as unknown as tf.NamedAttrMap) as tf.Tensor,
    };
  });
  return op(table);
}
