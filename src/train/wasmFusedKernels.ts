/**
 * The fused operations of fusedOps.ts on tfjs-backend-wasm, as kernels on its heap (src/train/simd/trainKernels.wat).
 * They need WebAssembly SIMD; where it is missing, fusedOps.ts composes tfjs ops instead (registerFusedSupport), so
 * the errors below only guard against being called anyway.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  ATTENTION_GRAD_KERNEL,
  ATTENTION_KERNEL,
  registerFusedSupport,
  TOKEN_ROWS_GRAD_KERNEL,
  TOKEN_ROWS_KERNEL,
  XENT_GRAD_KERNEL,
  XENT_KERNEL,
  type TokenRowsAttrs,
} from './fusedOps.ts';
import type { TrainKernels } from './simd/trainKernels.ts';

type Info = tf.TensorInfo;

export interface WasmHeap {
  simd(backend: BackendWasm): TrainKernels | null;
  offset(backend: BackendWasm, x: Info): number;
}

function kernelsOf(heap: WasmHeap, backend: unknown, name: string): { be: BackendWasm; k: TrainKernels } {
  const be = backend as BackendWasm;
  const k = heap.simd(be);
  if (!k) throw new Error(`${name}: WebAssembly SIMD is not available in this runtime`);
  return { be, k };
}

/**
 * The rows tokenRows reads, as indices into the table flattened over seeds (s·K·V + k·V + token), in a temporary
 * int32 tensor on the heap (the caller disposes it). A token outside [0, V) gives an index outside its seed's block,
 * which the kernels then refuse (gather) or skip (segment sum) by the flat range; so it is checked here.
 */
function tokenRowIndices(be: BackendWasm, tokens: Info, { positions, vocab }: TokenRowsAttrs): Info {
  const [s, b, w] = tokens.shape;
  const k = positions.length;
  const idx = be.makeOutput([s * b * k], 'int32');
  const out = be.typedArrayFromHeap(idx);
  const x = be.typedArrayFromHeap(tokens);
  for (let seed = 0, o = 0; seed < s; seed++)
    for (let e = 0; e < b; e++)
      for (let j = 0; j < k; j++, o++) {
        const t = x[(seed * b + e) * w + positions[j]];
        if (!(t >= 0 && t < vocab)) {
          be.disposeData(idx.dataId);
          throw new Error(
            `tokenRows: token ${t} (seed ${seed}, example ${e}, column ${positions[j]}) is outside [0, ${vocab})`,
          );
        }
        out[o] = (seed * k + j) * vocab + t;
      }
  return idx;
}

export function registerWasmFusedKernels(heap: WasmHeap): void {
  const at = (be: BackendWasm, x: Info) => heap.offset(be, x);
  registerFusedSupport('wasm', () => heap.simd(tf.backend() as unknown as BackendWasm) !== null);

  tf.registerKernel({
    kernelName: ATTENTION_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { q, keys, values } = inputs as { q: Info; keys: Info; values: Info };
      const { be, k } = kernelsOf(heap, backend, ATTENTION_KERNEL);
      const [s, b, h, dh] = q.shape;
      if (dh % 4 !== 0) throw new Error(`${ATTENTION_KERNEL}: head width ${dh} is not a multiple of 4`);
      const z = be.makeOutput([s, b, h, dh], 'float32');
      const probs = be.makeOutput([s, b, h, 3], 'float32');
      k.attention3(
        at(be, q),
        at(be, keys),
        at(be, values),
        at(be, z),
        at(be, probs),
        s * b,
        h,
        dh,
        Math.fround(Math.sqrt(dh)),
      );
      return [z, probs];
    },
  });

  tf.registerKernel({
    kernelName: ATTENTION_GRAD_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { dz, q, keys, values, probs } = inputs as Record<string, Info>;
      const { be, k } = kernelsOf(heap, backend, ATTENTION_GRAD_KERNEL);
      const [s, b, h, dh] = q.shape;
      const dq = be.makeOutput(q.shape, 'float32');
      const dkeys = be.makeOutput(keys.shape, 'float32');
      const dvalues = be.makeOutput(values.shape, 'float32');
      k.attention3Grad(
        at(be, dz),
        at(be, q),
        at(be, keys),
        at(be, values),
        at(be, probs),
        at(be, dq),
        at(be, dkeys),
        at(be, dvalues),
        s * b,
        h,
        dh,
        Math.fround(Math.sqrt(dh)),
      );
      return [dq, dkeys, dvalues];
    },
  });

  tf.registerKernel({
    kernelName: XENT_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { logits, labels } = inputs as { logits: Info; labels: Info };
      const { be, k } = kernelsOf(heap, backend, XENT_KERNEL);
      if (labels.dtype !== 'int32') throw new Error(`${XENT_KERNEL}: labels must be int32, got ${labels.dtype}`);
      const classes = logits.shape[logits.shape.length - 1];
      const rows = tf.util.sizeFromShape(logits.shape) / classes;
      const probs = be.makeOutput(logits.shape, 'float32');
      const loss = be.makeOutput(logits.shape.slice(0, -1), 'float32');
      k.softmaxXent(at(be, logits), at(be, labels), rows, classes, at(be, probs), at(be, loss));
      return [loss, probs];
    },
  });

  tf.registerKernel({
    kernelName: XENT_GRAD_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { probs, labels, dloss } = inputs as { probs: Info; labels: Info; dloss: Info };
      const { be, k } = kernelsOf(heap, backend, XENT_GRAD_KERNEL);
      const classes = probs.shape[probs.shape.length - 1];
      const rows = tf.util.sizeFromShape(probs.shape) / classes;
      const out = be.makeOutput(probs.shape, 'float32');
      k.softmaxXentGrad(at(be, probs), at(be, labels), at(be, dloss), rows, classes, at(be, out));
      return out;
    },
  });

  tf.registerKernel({
    kernelName: TOKEN_ROWS_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { table, tokens } = inputs as { table: Info; tokens: Info };
      const { be, k } = kernelsOf(heap, backend, TOKEN_ROWS_KERNEL);
      const a = attrs as unknown as TokenRowsAttrs;
      const [s, rows, d] = table.shape;
      const [, b] = tokens.shape;
      const idx = tokenRowIndices(be, tokens, a);
      const out = be.makeOutput([s, b, a.positions.length, d], 'float32');
      k.gatherRows(at(be, table), s * rows, d, at(be, idx), s * b * a.positions.length, at(be, out));
      be.disposeData(idx.dataId);
      return out;
    },
  });

  tf.registerKernel({
    kernelName: TOKEN_ROWS_GRAD_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, tokens } = inputs as { dy: Info; tokens: Info };
      const { be, k } = kernelsOf(heap, backend, TOKEN_ROWS_GRAD_KERNEL);
      const a = attrs as unknown as TokenRowsAttrs & { rows: number };
      const [s, b, kk, d] = dy.shape;
      const idx = tokenRowIndices(be, tokens, a);
      const out = be.makeOutput([s, a.rows, d], 'float32');
      k.segmentSumRows(at(be, dy), d, at(be, idx), s * b * kk, at(be, out), s * a.rows);
      be.disposeData(idx.dataId);
      return out;
    },
  });
}
