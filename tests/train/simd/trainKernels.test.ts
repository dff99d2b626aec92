/** The training kernels' module (src/train/simd/trainKernels.ts): the embedded builds, both memories, the AdamW constants. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adamwConstants, trainKernelsFor } from '../../../src/train/simd/trainKernels.ts';
import { TRAIN_KERNELS_SOURCE_SHA256 } from '../../../src/train/simd/trainKernelsWasm.ts';

describe('the training kernels module', () => {
  it('is the build of trainKernels.wat (run npx tsx scripts/build-simd.ts after editing it)', () => {
    const src = readFileSync(join(import.meta.dirname, '../../../src/train/simd/trainKernels.wat'), 'utf8');
    expect(createHash('sha256').update(src).digest('hex').slice(0, 16)).toBe(TRAIN_KERNELS_SOURCE_SHA256);
  });

  it('instantiates on an ordinary and on a shared memory (tfjs-wasm without and with threads), once per memory', () => {
    const plain = new WebAssembly.Memory({ initial: 1 });
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    for (const memory of [plain, shared]) {
      const k = trainKernelsFor(memory);
      expect(k).not.toBeNull();
      expect(trainKernelsFor(memory)).toBe(k);
      // gather two rows of 3 from a table at 0 into 64, by indices at 32
      const f32 = new Float32Array(memory.buffer);
      const i32 = new Int32Array(memory.buffer);
      f32.set([1, 2, 3, 4, 5, 6], 0);
      i32.set([1, 0], 8);
      expect(k!.gatherRows(0, 2, 3, 32, 2, 64)).toBe(-1);
      expect(Array.from(f32.subarray(16, 22))).toEqual([4, 5, 6, 1, 2, 3]);
      i32.set([2], 8);
      expect(k!.gatherRows(0, 2, 3, 32, 1, 64)).toBe(0);
    }
  });

  it("gives the AdamW constants of a step as f32, rounded once from float64 as tfjs's scalar operands are", () => {
    const c = adamwConstants({ learningRate: 1e-3, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 1 }, 2);
    const f = Math.fround;
    expect(c).toEqual([
      f(0.9),
      f(0.1),
      f(0.98),
      f(1 - 0.98),
      f(1 - 1e-3),
      f(Math.sqrt(1 - 0.98 ** 2)),
      f(1e-8),
      f(1e-3 / (1 - 0.81)),
    ]);
  });
});
