/**
 * Kernel patches for tfjs-backend-wasm 4.22, registered before the backend starts:
 * - BatchMatMul: wasm uses XNNPACK only for one untransposed batch and a slow naive loop otherwise,
 *   whose summation order depends on the batch size. Running each seed's slice through XNNPACK makes a
 *   seed's numbers identical whether it trains alone or among S seeds, and is several times faster.
 * - UnsortedSegmentSum: not registered for wasm, but the gradient of gather (embeddings) needs it.
 * - Slice: the stock kernel copies the whole input to read a slice; contiguous slices read a heap view.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Info = tf.TensorInfo;
let patched = false;

/** Unregisters a view made with makeOutput(…, memoryOffset) without freeing memory it does not own. */
function releaseView(backend: BackendWasm, view: Info): void {
  const entry = backend.dataIdMap.get(view.dataId) as unknown as { id: number };
  backend.wasm.tfjs.disposeData(entry.id);
  backend.dataIdMap.delete(view.dataId);
}

export function patchWasmKernels(): void {
  if (patched) return;
  patched = true;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) throw new Error('the wasm backend must be imported before patching its kernels');
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    kernelFunc: (args) => {
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
      const offsetOf = (x: Info) =>
        (backend.dataIdMap.get(x.dataId) as unknown as { memoryOffset: number }).memoryOffset;
      for (let i = 0; i < s; i++) {
        // Views of seed i's slices, registered under fresh ids (the wasm kernel caches packed weights by id).
        const aOne = backend.makeOutput([1, m, k], 'float32', offsetOf(an) + i * m * k * 4);
        const bOne = backend.makeOutput([1, k, n], 'float32', offsetOf(bn) + i * k * n * 4);
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
    },
  });

  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
      const { numSegments } = attrs as unknown as { numSegments: number };
      const be = backend as unknown as BackendWasm;
      const out = be.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
      const xv = be.typedArrayFromHeap(x);
      const ids = be.typedArrayFromHeap(segmentIds);
      const ov = be.typedArrayFromHeap(out);
      const inner = ov.length / numSegments;
      ov.fill(0);
      for (let i = 0; i < ids.length; i++) {
        const seg = ids[i];
        if (seg < 0 || seg >= numSegments) continue;
        const o = seg * inner;
        const xi = i * inner;
        for (let j = 0; j < inner; j++) ov[o + j] += xv[xi + j];
      }
      return out;
    },
  });

  const slice = tf.getKernel('Slice', 'wasm')!;
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({
    kernelName: 'Slice',
    backendName: 'wasm',
    setupFunc: slice.setupFunc,
    kernelFunc: (args) => {
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
    },
  });
}
