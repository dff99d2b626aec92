/**
 * The training kernels of trainKernels.wat, instantiated on tfjs-wasm's own memory (imported, so a kernel reads and
 * writes tensors where tfjs keeps them). One instance per memory; null where WebAssembly SIMD is unavailable, and
 * then the callers keep tfjs's own kernels. Pointers are byte offsets into that memory.
 */
import { TRAIN_KERNELS_SHARED_WASM_BASE64, TRAIN_KERNELS_WASM_BASE64 } from './trainKernelsWasm.ts';

export interface TrainKernels {
  /** out[i] = table[idx[i]] (rows of `len` f32); -1, or the first i whose index is outside [0, rows). */
  gatherRows(table: number, rows: number, len: number, idx: number, n: number, out: number): number;
  /** out[s] = Σ src[i] over idx[i] = s (rows of `len` f32, added in order of i); other indices skipped. */
  segmentSumRows(src: number, len: number, idx: number, n: number, out: number, segments: number): void;
  /** One AdamW step over n values; the f32 constants as adamwConstants() gives them. */
  adamw(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    outP: number,
    outM: number,
    outV: number,
    ...constants: AdamWConstants
  ): void;
  /** Attention of the last position over three (q [G,H,dh], keys/values [G,3,H,dh] → z [G,H,dh], probs [G,H,3]). */
  attention3(
    q: number,
    keys: number,
    values: number,
    z: number,
    probs: number,
    groups: number,
    heads: number,
    dh: number,
    root: number,
  ): void;
  /** Its gradient: dz and the forward's inputs and probs → dq, dkeys, dvalues. */
  attention3Grad(
    dz: number,
    q: number,
    keys: number,
    values: number,
    probs: number,
    dq: number,
    dkeys: number,
    dvalues: number,
    groups: number,
    heads: number,
    dh: number,
    root: number,
  ): void;
  /** Softmax cross-entropy with integer labels: probs [rows, classes] and loss [rows]. */
  softmaxXent(logits: number, labels: number, rows: number, classes: number, probs: number, loss: number): void;
  /** Its gradient: (probs − one-hot) · dloss per row. */
  softmaxXentGrad(probs: number, labels: number, dloss: number, rows: number, classes: number, out: number): void;
}

/** β1, 1−β1, β2, 1−β2, 1−lr·wd, √(1−β2^t), ε, lr/(1−β1^t), each rounded to f32 as tfjs rounds a scalar operand. */
export type AdamWConstants = [number, number, number, number, number, number, number, number];

export interface AdamWSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/** The constants of step t (1-based), computed in float64 and rounded once, as tf.mul(x, jsNumber) does. */
export function adamwConstants(s: AdamWSettings, t: number): AdamWConstants {
  const f = Math.fround;
  return [
    f(s.beta1),
    f(1 - s.beta1),
    f(s.beta2),
    f(1 - s.beta2),
    f(1 - s.learningRate * s.weightDecay),
    f(Math.sqrt(1 - s.beta2 ** t)),
    f(s.epsilon),
    f(s.learningRate / (1 - s.beta1 ** t)),
  ];
}

const instances = new WeakMap<WebAssembly.Memory, TrainKernels | null>();
const compiled = new Map<boolean, WebAssembly.Module | null>();

function moduleFor(shared: boolean): WebAssembly.Module | null {
  if (!compiled.has(shared)) {
    try {
      const bytes = Uint8Array.from(atob(shared ? TRAIN_KERNELS_SHARED_WASM_BASE64 : TRAIN_KERNELS_WASM_BASE64), (c) =>
        c.charCodeAt(0),
      );
      compiled.set(shared, WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
    } catch {
      compiled.set(shared, null);
    }
  }
  return compiled.get(shared)!;
}

/** The kernels working on `memory` (tfjs-wasm's heap), or null where this runtime cannot run them. */
export function trainKernelsFor(memory: WebAssembly.Memory): TrainKernels | null {
  if (instances.has(memory)) return instances.get(memory)!;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const mod = moduleFor(shared);
  let kernels: TrainKernels | null = null;
  if (mod) {
    const e = new WebAssembly.Instance(mod, { env: { memory, log: Math.log } }).exports as Record<
      string,
      CallableFunction
    >;
    kernels = {
      gatherRows: (table, rows, len, idx, n, out) => e.gather_rows(table, rows, len, idx, n, out) as number,
      segmentSumRows: (src, len, idx, n, out, segments) => void e.segment_sum_rows(src, len, idx, n, out, segments),
      adamw: (p, g, m, v, n, outP, outM, outV, ...c) => void e.adamw(p, g, m, v, n, outP, outM, outV, ...c),
      attention3: (...args) => void e.attention3(...args),
      attention3Grad: (...args) => void e.attention3_grad(...args),
      softmaxXent: (...args) => void e.softmax_xent(...args),
      softmaxXentGrad: (...args) => void e.softmax_xent_grad(...args),
    };
  }
  instances.set(memory, kernels);
  return kernels;
}
