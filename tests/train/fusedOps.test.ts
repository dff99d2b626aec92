/**
 * The fused attention and loss (src/train/fusedOps.ts): wasm's kernels against the tfjs composition they replace
 * (which the cpu backend runs), values and gradients, on the same inputs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import { selectBackend, tf } from '../../src/train/backend.ts';
import { lastPositionAttention, softmaxCrossEntropy, tokenRows } from '../../src/train/fusedOps.ts';

afterAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

const random = (n: number, seed: number, scale = 1) => {
  const rng = createRng(seed, 'fused-ops');
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
};

/** Values and gradients (of Σ value·w, w fixed) of `f` on `backend`, as plain arrays. */
async function run(
  backend: 'cpu' | 'wasm',
  inputs: { data: Float32Array; shape: number[] }[],
  f: (...x: tf.Tensor[]) => tf.Tensor,
  weights: Float32Array,
): Promise<{ value: Float32Array; grads: Float32Array[] }> {
  await selectBackend({ requested: backend });
  const xs = inputs.map((i) => tf.tensor(i.data, i.shape));
  const value = tf.tidy(() => f(...xs));
  const w = tf.tensor(weights, value.shape);
  const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
  const out = {
    value: (await value.data()) as Float32Array,
    grads: await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>)),
  };
  tf.dispose([...xs, value, w, ...grads]);
  return out;
}

function expectClose(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  const scale = Math.max(...Array.from(b, Math.abs), 1e-6);
  a.forEach((x, i) => expect(Math.abs(x - b[i]), `${what}[${i}]: ${x} vs ${b[i]}`).toBeLessThanOrEqual(tol * scale));
}

describe('fused operations on wasm equal the composition they replace', () => {
  it('the last position attention over three, and its gradients for q, keys and values', async () => {
    const [s, b, h, dh] = [3, 5, 2, 8];
    const inputs = [
      { data: random(s * b * h * dh, 1), shape: [s, b, h, dh] },
      { data: random(s * b * 3 * h * dh, 2), shape: [s, b, 3, h, dh] },
      { data: random(s * b * 3 * h * dh, 3), shape: [s, b, 3, h, dh] },
    ];
    const w = random(s * b * h * dh, 4);
    const f = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => lastPositionAttention(q, k, v);
    const fused = await run('wasm', inputs, f, w);
    const composed = await run('cpu', inputs, f, w);
    expectClose(fused.value, composed.value, 1e-5, 'z');
    ['q', 'keys', 'values'].forEach((n, i) => expectClose(fused.grads[i], composed.grads[i], 1e-5, `d${n}`));
  });

  it('softmax cross-entropy at integer labels (classes not a multiple of 4), and its gradient', async () => {
    const [s, b, c] = [2, 7, 11];
    const labels = Int32Array.from({ length: s * b }, (_, i) => (i * 5) % c);
    const w = random(s * b, 6);
    const f = (logits: tf.Tensor) => softmaxCrossEntropy(logits, tf.tensor2d(labels, [s, b], 'int32'));
    // large logits too: the loss must stay stable where float32 exponentials overflow
    const inputs = [{ data: random(s * b * c, 5, 30), shape: [s, b, c] }];
    const fused = await run('wasm', inputs, f, w);
    const composed = await run('cpu', inputs, f, w);
    expectClose(fused.value, composed.value, 1e-5, 'loss');
    expectClose(fused.grads[0], composed.grads[0], 1e-5, 'dlogits');
  });

  it('rows of a per-seed table looked up by tokens, and the gradient summed back into the rows', async () => {
    const [s, b, w, v, d] = [3, 9, 3, 5, 4];
    // Tokens repeat, so several examples read (and send gradient to) the same row.
    const tokens = Int32Array.from({ length: s * b * w }, (_, i) => (i * 7 + (i >> 2)) % v);
    for (const positions of [[0, 1, 2], [2]]) {
      const k = positions.length;
      const inputs = [{ data: random(s * k * v * d, 7), shape: [s, k * v, d] }];
      const w8 = random(s * b * k * d, 8);
      const f = (table: tf.Tensor) => tokenRows(table, tf.tensor3d(tokens, [s, b, w], 'int32'), positions, v);
      const fused = await run('wasm', inputs, f, w8);
      const composed = await run('cpu', inputs, f, w8);
      // A gather is exact; the cpu backend's segment sum adds the same rows by another route.
      expect(Array.from(fused.value)).toEqual(Array.from(composed.value));
      expectClose(fused.grads[0], composed.grads[0], 1e-6, 'dtable');
    }
  });

  it('a token outside the vocabulary is refused with where it is', async () => {
    await selectBackend({ requested: 'wasm' });
    const table = tf.zeros([1, 4, 2]);
    const tokens = tf.tensor3d([[[1, 4]]], [1, 1, 2], 'int32');
    expect(() => tokenRows(table, tokens, [0, 1], 2)).toThrow(
      'tokenRows: token 4 (seed 0, example 0, column 1) is outside [0, 2)',
    );
    expect(() => tokenRows(table, tokens, [0, 2], 2)).toThrow('positions [0, 2] are not all columns of 2-token inputs');
    tf.dispose([table, tokens]);
  });

  it('a label outside the classes gives a NaN loss on wasm, not a number from elsewhere in memory', async () => {
    await selectBackend({ requested: 'wasm' });
    const loss = tf.tidy(() => softmaxCrossEntropy(tf.zeros([1, 2, 3]), tf.tensor2d([[0, 3]], [1, 2], 'int32')));
    const v = await loss.data();
    expect(v[0]).toBeCloseTo(Math.log(3), 6);
    expect(v[1]).toBeNaN();
    loss.dispose();
  });
});
