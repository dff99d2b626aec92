/** The tfjs-backend-wasm kernel patches (BatchMatMul per seed, UnsortedSegmentSum, GatherV2, view-based Slice, shared Identity, the fused AdamW) on the real wasm backend. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/numeric/rng.ts';
import { selectBackend, tf } from '../../src/train/backend.ts';

beforeAll(async () => {
  const choice = await selectBackend({ requested: 'wasm' });
  expect(choice.name).toBe('wasm');
});

function randomF32(n: number, seed: number): Float32Array {
  const rng = createRng(seed, 'wasm-kernels');
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** Float64 batched product of row-major [S, m, k] and [S, k, n] arrays (after any transposes). */
function reference(
  a: Float32Array,
  b: Float32Array,
  s: number,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): Float64Array {
  const out = new Float64Array(s * m * n);
  const A = (i: number, r: number, c: number) => (ta ? a[i * m * k + c * m + r] : a[i * m * k + r * k + c]);
  const B = (i: number, r: number, c: number) => (tb ? b[i * k * n + c * k + r] : b[i * k * n + r * n + c]);
  for (let i = 0; i < s; i++)
    for (let r = 0; r < m; r++)
      for (let c = 0; c < n; c++) for (let p = 0; p < k; p++) out[i * m * n + r * n + c] += A(i, r, p) * B(i, p, c);
  return out;
}

const liveData = () => tf.engine().backend.numDataIds();

describe('patched BatchMatMul on wasm', () => {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    it(`transposeA=${ta}, transposeB=${tb}: equals the float64 product, and each seed's slice equals that seed computed alone`, async () => {
      const [s, m, k, n] = [5, 7, 13, 6];
      const a = randomF32(s * m * k, 1);
      const b = randomF32(s * k * n, 2);
      const before = liveData();
      const at = tf.tensor3d(a, ta ? [s, k, m] : [s, m, k]);
      const bt = tf.tensor3d(b, tb ? [s, n, k] : [s, k, n]);
      const product = tf.matMul(at, bt, ta, tb);
      const together = (await product.data()) as Float32Array;
      const ref = reference(a, b, s, m, k, n, ta, tb);
      ref.forEach((r, i) => expect(Math.abs(together[i] - r)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(r))));
      for (let i = 0; i < s; i++) {
        const ai = tf.tensor3d(a.slice(i * m * k, (i + 1) * m * k), ta ? [1, k, m] : [1, m, k]);
        const bi = tf.tensor3d(b.slice(i * k * n, (i + 1) * k * n), tb ? [1, n, k] : [1, k, n]);
        const one = tf.matMul(ai, bi, ta, tb);
        const alone = (await one.data()) as Float32Array;
        expect(Array.from(alone), `seed ${i}`).toEqual(Array.from(together.subarray(i * m * n, (i + 1) * m * n)));
        tf.dispose([ai, bi, one]);
      }
      tf.dispose([at, bt, product]);
      // the views and transposed copies the patch makes are all released
      expect(liveData()).toBe(before);
    });
  }

  it('survives the wasm heap growing mid-call (many large seeds)', async () => {
    const [s, m, k, n] = [48, 96, 96, 96];
    const a = randomF32(s * m * k, 3);
    const b = randomF32(s * k * n, 4);
    const c = tf.tidy(() => tf.matMul(tf.tensor3d(a, [s, m, k]), tf.tensor3d(b, [s, k, n]), false, true));
    const out = (await c.data()) as Float32Array;
    c.dispose();
    const ref = reference(a.subarray((s - 1) * m * k), b.subarray((s - 1) * k * n), 1, m, k, n, false, true);
    ref.forEach((r, i) => expect(Math.abs(out[(s - 1) * m * n + i] - r)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(r))));
  });
});

describe('UnsortedSegmentSum on wasm (needed by the gradient of gather)', () => {
  it('sums rows into their segments, skipping ids out of range', async () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 2]);
    const ids = tf.tensor1d([2, 0, 2, -1, 5], 'int32');
    expect(Array.from(await tf.unsortedSegmentSum(x, ids, 3).data())).toEqual([3, 4, 0, 0, 1 + 5, 2 + 6]);
    tf.dispose([x, ids]);
  });

  it('makes the gradient of an embedding lookup with repeated tokens', async () => {
    const table = tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]));
    const tokens = tf.tensor1d([2, 0, 2, 2], 'int32');
    const { grads } = tf.variableGrads(() => tf.sum(tf.gather(table, tokens)) as tf.Scalar, [table]);
    expect(Array.from(await grads[table.name].data())).toEqual([1, 1, 0, 0, 3, 3]);
    tf.dispose([table, tokens, grads[table.name]]);
  });
});

describe('patched Slice on wasm', () => {
  it('contiguous slices (read as heap views) and strided ones agree with plain indexing', async () => {
    const data = Float32Array.from({ length: 4 * 3 * 5 }, (_, i) => i);
    const x = tf.tensor3d(data, [4, 3, 5]);
    const at = (i: number, j: number, l: number) => data[i * 15 + j * 5 + l];
    const contiguous = await tf.slice(x, [1, 0, 0], [2, 3, 5]).data();
    expect(Array.from(contiguous)).toEqual(Array.from(data.subarray(15, 45)));
    const strided = await tf.slice(x, [0, 1, 2], [4, 2, 2]).data();
    const expected: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 1; j < 3; j++) for (let l = 2; l < 4; l++) expected.push(at(i, j, l));
    expect(Array.from(strided)).toEqual(expected);
    const ints = tf.tensor1d([5, 6, 7, 8], 'int32');
    expect(Array.from(await tf.slice(ints, [1], [2]).data())).toEqual([6, 7]);
    // a slice is a copy: changing the source afterwards leaves it alone
    const src = tf.variable(tf.tensor1d([1, 2, 3, 4]));
    const part = tf.slice(src, [1], [2]);
    src.assign(tf.tensor1d([9, 9, 9, 9]));
    expect(Array.from(await part.data())).toEqual([2, 3]);
    tf.dispose([x, ints, src, part]);
  });
});

describe('GatherV2 along the first axis on wasm (rows copied whole)', () => {
  it('equals indexing, for any index shape; an index out of range is refused with its position', async () => {
    const table = tf.tensor2d(
      Float32Array.from({ length: 5 * 3 }, (_, i) => i),
      [5, 3],
    );
    const idx = tf.tensor2d([4, 0, 4, 2], [2, 2], 'int32');
    const out = tf.gather(table, idx);
    expect(out.shape).toEqual([2, 2, 3]);
    expect(Array.from(await out.data())).toEqual([12, 13, 14, 0, 1, 2, 12, 13, 14, 6, 7, 8]);
    const before = liveData();
    const bad = tf.tensor1d([1, 5], 'int32');
    expect(() => tf.gather(table, bad)).toThrow('gather: index 5 (at position 1) is outside [0, 5)');
    expect(liveData()).toBe(before + 1);
    // other axes take tfjs's own kernel
    expect(Array.from(await tf.gather(table, tf.tensor1d([2, 0], 'int32'), 1).data())).toEqual([
      2, 0, 5, 3, 8, 6, 11, 9, 14, 12,
    ]);
    tf.dispose([table, idx, out, bad]);
  });
});

describe('Identity on wasm shares its input', () => {
  it('a clone reads the same values, survives its source and costs no copy', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    const before = liveData();
    const y = tf.clone(x);
    expect(liveData()).toBe(before);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    y.dispose();
  });
});

describe('the fused AdamW kernel on wasm', () => {
  it("gives exactly the tfjs chain's f32 numbers (both halves of the SIMD loop), and freezes seeds marked dead", async () => {
    const { ADAMW_KERNEL } = await import('../../src/train/optimizers.ts');
    const n = 2 * 11; // two seeds of 11 values: vector lanes and a scalar tail
    const [p, g, m, v] = [5, 6, 7, 8].map((s) => randomF32(n, s));
    const vAbs = v.map(Math.abs);
    const attrs = { learningRate: 1e-3, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 1, step: 3 };
    const t = (a: Float32Array) => tf.tensor2d(a, [2, 11]);
    const [tp, tg, tm, tv] = [p, g, m, vAbs].map(t);
    const fused = tf.engine().runKernel(ADAMW_KERNEL, { p: tp, g: tg, m: tm, v: tv }, attrs) as tf.Tensor[];
    // The tfjs chain of src/train/optimizers.ts, op by op.
    const { learningRate: lr, beta1, beta2, epsilon, weightDecay, step } = attrs;
    const m1 = tf.add(tf.mul(tm, beta1), tf.mul(tg, 1 - beta1));
    const v1 = tf.add(tf.mul(tv, beta2), tf.mul(tf.square(tg), 1 - beta2));
    const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(1 - beta2 ** step)), epsilon);
    const next = tf.sub(tf.mul(tp, 1 - lr * weightDecay), tf.mul(tf.div(m1, denom), lr / (1 - beta1 ** step)));
    for (const [k, want] of [next, m1, v1].entries())
      expect(Array.from(await fused[k].data()), ['p', 'm', 'v'][k]).toEqual(Array.from(await want.data()));
    const alive = tf.tensor1d([1, 0]);
    const masked = tf.engine().runKernel(ADAMW_KERNEL, { p: tp, g: tg, m: tm, v: tv, alive }, attrs) as tf.Tensor[];
    const mp = (await masked[0].data()) as Float32Array;
    expect(Array.from(mp.subarray(0, 11))).toEqual(Array.from(((await next.data()) as Float32Array).subarray(0, 11)));
    expect(Array.from(mp.subarray(11))).toEqual(Array.from(p.subarray(11)));
    tf.dispose([tp, tg, tm, tv, ...fused, m1, v1, denom, next, alive, ...masked]);
  });
});
