/**
 * Kernel patches for tfjs-backend-wasm 4.22, registered before the backend starts:
 * - BatchMatMul: wasm uses XNNPACK only for one untransposed batch and a slow naive loop otherwise,
 *   whose summation order depends on the batch size. Running each seed's slice through XNNPACK makes a
 *   seed's numbers identical whether it trains alone or among S seeds, and is several times faster.
 * - UnsortedSegmentSum: not registered for wasm, but the gradient of gather (embeddings) needs it.
 * - GatherV2 along the first axis: the stock kernel computes every element's source index; rows are copied whole.
 * - Slice: the stock kernel copies the whole input to read a slice; contiguous slices read a heap view.
 * - Identity copies its input; it shares it instead (as Reshape and the cpu backend do: tensors are immutable).
 * - ADAMW_KERNEL: the whole AdamW update of a parameter in one pass (src/train/optimizers.ts).
 * The kernels on tfjs's heap are WebAssembly SIMD (src/train/simd/trainKernels.wat); where this runtime cannot run
 * them, gather and the AdamW update keep tfjs's kernels and the segment sum runs in JavaScript.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ADAMW_KERNEL, type AdamWAttrs } from './optimizers.ts';
import { registerWasmFusedKernels } from './wasmFusedKernels.ts';
import { adamwConstants, trainKernelsFor, type AdamWConstants, type TrainKernels } from './simd/trainKernels.ts';

type Info = tf.TensorInfo;
let patched = false;

/** Unregisters a view made with makeOutput(…, memoryOffset) without freeing memory it does not own. */
function releaseView(backend: BackendWasm, view: Info): void {
  const entry = backend.dataIdMap.get(view.dataId) as unknown as { id: number };
  backend.wasm.tfjs.disposeData(entry.id);
  backend.dataIdMap.delete(view.dataId);
}

const offsetOf = (backend: BackendWasm, x: Info) =>
  (backend.dataIdMap.get(x.dataId) as unknown as { memoryOffset: number }).memoryOffset;

/** Our SIMD kernels on this backend's heap (its memory: exported without threads, kept on the module with them). */
function simdOf(backend: BackendWasm): TrainKernels | null {
  const module = backend.wasm as unknown as { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  const memory = module.asm?.memory ?? module.wasmMemory;
  return memory ? trainKernelsFor(memory) : null;
}

/** Replaces one of tfjs-wasm's kernels, keeping its setup; `kernel` gets the original to fall back on. */
function replaceKernel(
  name: string,
  kernel: (args: Parameters<tf.KernelFunc>[0], original: tf.KernelConfig) => ReturnType<tf.KernelFunc>,
): void {
  const original = tf.getKernel(name, 'wasm');
  if (!original) throw new Error('the wasm backend must be imported before patching its kernels');
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    kernelFunc: (args) => kernel(args, original),
  });
}

export function patchWasmKernels(): void {
  if (patched) return;
  patched = true;
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('the wasm backend must be imported before patching its kernels');
  replaceKernel('BatchMatMul', (args, original) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as unknown as BackendWasm;
    const plain =
      a.shape.length !== 3 ||
      b.shape.length !== 3 ||
      a.shape[0] !== b.shape[0] ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32';
    if (plain || (a.shape[0] === 1 && !transposeA && !transposeB)) return original.kernelFunc(args);
    const t = (x: Info) =>
      transpose.kernelFunc({ inputs: { x }, backend: backend as never, attrs: { perm: [0, 2, 1] } }) as Info;
    const an = transposeA ? t(a) : a;
    const bn = transposeB ? t(b) : b;
    const [s, m, k] = an.shape;
    const n = bn.shape[2];
    const out = backend.makeOutput([s, m, n], 'float32');
    for (let i = 0; i < s; i++) {
      // Views of seed i's slices, registered under fresh ids (the wasm kernel caches packed weights by id).
      const aOne = backend.makeOutput([1, m, k], 'float32', offsetOf(backend, an) + i * m * k * 4);
      const bOne = backend.makeOutput([1, k, n], 'float32', offsetOf(backend, bn) + i * k * n * 4);
      const o = original.kernelFunc({
        inputs: { a: aOne, b: bOne },
        backend: backend as never,
        attrs: { transposeA: false, transposeB: false },
      }) as Info;
      // Views are taken after every allocation: the heap may have grown.
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(o), i * m * n);
      backend.disposeData(o.dataId);
      releaseView(backend, aOne);
      releaseView(backend, bOne);
    }
    if (an !== a) backend.disposeData(an.dataId);
    if (bn !== b) backend.disposeData(bn.dataId);
    return out;
  });

  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
      const { numSegments } = attrs as unknown as { numSegments: number };
      const be = backend as unknown as BackendWasm;
      const out = be.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
      const inner = tf.util.sizeFromShape(out.shape) / numSegments;
      const ids = tf.util.sizeFromShape(segmentIds.shape);
      const simd = simdOf(be);
      if (simd && x.dtype === 'float32' && segmentIds.dtype === 'int32') {
        simd.segmentSumRows(offsetOf(be, x), inner, offsetOf(be, segmentIds), ids, offsetOf(be, out), numSegments);
        return out;
      }
      const xv = be.typedArrayFromHeap(x);
      const idv = be.typedArrayFromHeap(segmentIds);
      const ov = be.typedArrayFromHeap(out);
      ov.fill(0);
      for (let i = 0; i < ids; i++) {
        const seg = idv[i];
        if (seg < 0 || seg >= numSegments) continue;
        const o = seg * inner;
        const xi = i * inner;
        for (let j = 0; j < inner; j++) ov[o + j] += xv[xi + j];
      }
      return out;
    },
  });

  replaceKernel('GatherV2', (args, gather) => {
    const { x, indices } = args.inputs as { x: Info; indices: Info };
    const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
    const be = args.backend as unknown as BackendWasm;
    const simd = simdOf(be);
    if (!simd || axis !== 0 || batchDims !== 0 || x.dtype !== 'float32' || indices.dtype !== 'int32')
      return gather.kernelFunc(args);
    const rows = x.shape[0];
    const len = tf.util.sizeFromShape(x.shape.slice(1));
    const n = tf.util.sizeFromShape(indices.shape);
    const out = be.makeOutput([...indices.shape, ...x.shape.slice(1)], 'float32');
    const bad = simd.gatherRows(offsetOf(be, x), rows, len, offsetOf(be, indices), n, offsetOf(be, out));
    if (bad >= 0) {
      const index = be.typedArrayFromHeap(indices)[bad];
      be.disposeData(out.dataId);
      throw new Error(`gather: index ${index} (at position ${bad}) is outside [0, ${rows})`);
    }
    return out;
  });

  replaceKernel('Identity', ({ inputs, backend }) => {
    const { x } = inputs as { x: Info };
    (backend as unknown as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });

  registerAdamW();
  registerWasmFusedKernels({ simd: simdOf, offset: offsetOf });

  replaceKernel('Slice', (args, slice) => {
    const { x } = args.inputs as { x: Info };
    const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
    if (x.dtype === 'string') return slice.kernelFunc(args);
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    if (!tf.slice_util.isSliceContinous(x.shape, b, s)) return slice.kernelFunc(args);
    const be = args.backend as unknown as BackendWasm;
    const off = tf.slice_util.computeFlatOffset(b, tf.util.computeStrides(x.shape));
    const out = be.makeOutput(s, x.dtype);
    be.typedArrayFromHeap(out).set(be.typedArrayFromHeap(x).subarray(off, off + tf.util.sizeFromShape(s)));
    return out;
  });
}

/**
 * ADAMW_KERNEL on wasm: inputs p, g, m, v (same shape [S, …]) and optionally alive ([S] of 0/1); outputs the new
 * p, m and v, with seeds whose alive entry is 0 keeping their old values. Without SIMD the same f32 operations run
 * in JavaScript (each rounded to f32 with Math.fround, which gives the correctly rounded f32 result here too).
 */
function registerAdamW(): void {
  tf.registerKernel({
    kernelName: ADAMW_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { p, g, m, v, alive } = inputs as { p: Info; g: Info; m: Info; v: Info; alive?: Info };
      const be = backend as unknown as BackendWasm;
      const c = adamwConstants(attrs as unknown as AdamWAttrs, (attrs as unknown as AdamWAttrs).step);
      const n = tf.util.sizeFromShape(p.shape);
      const outs = [p, m, v].map(() => be.makeOutput(p.shape, 'float32'));
      const simd = simdOf(be);
      if (simd) {
        const [op, om, ov] = outs.map((o) => offsetOf(be, o));
        simd.adamw(offsetOf(be, p), offsetOf(be, g), offsetOf(be, m), offsetOf(be, v), n, op, om, ov, ...c);
      } else {
        const [pv, gv, mv, vv, po, mo, vo] = [p, g, m, v, ...outs].map((t) => be.typedArrayFromHeap(t));
        for (let i = 0; i < n; i++) adamwScalar(pv[i], gv[i], mv[i], vv[i], c, po, mo, vo, i);
      }
      if (alive) {
        const live = be.typedArrayFromHeap(alive);
        const per = n / live.length;
        live.forEach((l, s) => {
          if (l) return;
          [p, m, v].forEach((old, k) =>
            be.typedArrayFromHeap(outs[k]).set(be.typedArrayFromHeap(old).subarray(s * per, (s + 1) * per), s * per),
          );
        });
      }
      return outs;
    },
  });
}

/** trainKernels.wat's adamw for one value, in f32 (Math.fround after every operation). */
function adamwScalar(
  p: number,
  g: number,
  m: number,
  v: number,
  [b1, c1, b2, c2m, decay, c2, eps, step]: AdamWConstants,
  po: Float32Array | Int32Array | Uint8Array,
  mo: Float32Array | Int32Array | Uint8Array,
  vo: Float32Array | Int32Array | Uint8Array,
  i: number,
): void {
  const f = Math.fround;
  const m1 = f(f(m * b1) + f(g * c1));
  const v1 = f(f(v * b2) + f(f(g * g) * c2m));
  po[i] = f(f(p * decay) - f(f(m1 / f(f(f(Math.sqrt(v1)) / c2) + eps)) * step));
  mo[i] = m1;
  vo[i] = v1;
}
