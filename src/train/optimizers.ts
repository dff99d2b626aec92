/**
 * Optimizers over parameters with a leading seed dimension. Every update is elementwise, so no
 * statistic is shared across seeds (no global-norm clipping): each seed gets exactly the update it
 * would get alone. `alive` ([S] of 0/1) freezes diverged seeds.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from './task.ts';

/**
 * A kernel name for the whole AdamW update of one parameter (inputs p, g, m, v and optionally alive; outputs the
 * new p, m, v), registered by the backends that fuse it (wasm: src/train/wasmKernels.ts). Elsewhere the update
 * is composed of tfjs ops below; both perform the same f32 operations in the same order.
 */
export const ADAMW_KERNEL = 'TrainmapAdamW';

export interface AdamWAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** The step, 1-based (bias corrections use it). */
  step: number;
}

export interface OptimizerState {
  step: number;
  /** Per parameter: AdamW's first and second moments (empty for SGD). */
  slots: Record<string, tf.Variable[]>;
}

export function createOptimizerState(spec: OptimizerSpec, params: Record<string, tf.Variable>): OptimizerState {
  const slots: Record<string, tf.Variable[]> = {};
  if (spec.kind === 'adamw') {
    for (const [name, p] of Object.entries(params)) {
      slots[name] = tf.tidy(() => [tf.variable(tf.zerosLike(p), false), tf.variable(tf.zerosLike(p), false)]);
    }
  }
  return { step: 0, slots };
}

/**
 * Keeps the new value where the seed is alive and the old one where it diverged (already NaN weights stay
 * NaN: NaN·0 is NaN, which is harmless since a diverged seed is never recorded again). next·1 + old·0 is
 * exactly next for a live seed; broadcasting a multiply avoids the Tile that tf.where's broadcast costs.
 */
function masked(next: tf.Tensor, old: tf.Tensor, alive: tf.Tensor1D | null): tf.Tensor {
  if (!alive) return next;
  const m = alive.reshape([alive.shape[0], ...new Array<number>(next.rank - 1).fill(1)]);
  return tf.add(tf.mul(next, m), tf.mul(old, tf.sub(1, m)));
}

/**
 * One update of every parameter from its gradient (same shapes). PyTorch semantics:
 * AdamW: p ← p·(1 − lr·wd); m, v updated; p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε).
 * SGD: g ← g + wd·p; p ← p − lr·g.
 */
export function applyUpdate(
  spec: OptimizerSpec,
  state: OptimizerState,
  params: Record<string, tf.Variable>,
  grads: Record<string, tf.Tensor>,
  /** Per seed 1 (train) or 0 (frozen); null when every seed is alive. */
  alive: tf.Tensor1D | null,
): void {
  state.step++;
  const t = state.step;
  if (spec.kind === 'adamw' && tf.getKernel(ADAMW_KERNEL, tf.getBackend())) {
    const { learningRate, beta1, beta2, epsilon, weightDecay } = spec;
    const attrs: AdamWAttrs = { learningRate, beta1, beta2, epsilon, weightDecay, step: t };
    for (const [name, p] of Object.entries(params)) {
      const g = grads[name];
      if (!g) throw new Error(`no gradient for parameter ${name}`);
      const [m, v] = state.slots[name];
      const inputs: tf.NamedTensorMap = { p, g, m, v };
      if (alive) inputs.alive = alive;
      const next = tf.engine().runKernel(ADAMW_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      p.assign(next[0]);
      m.assign(next[1]);
      v.assign(next[2]);
      tf.dispose(next);
    }
    return;
  }
  tf.tidy(() => {
    for (const [name, p] of Object.entries(params)) {
      const g = grads[name];
      if (!g) throw new Error(`no gradient for parameter ${name}`);
      if (spec.kind === 'sgd') {
        const step = tf.add(g, tf.mul(p, spec.weightDecay));
        p.assign(masked(tf.sub(p, tf.mul(step, spec.learningRate)), p, alive));
        continue;
      }
      const [m, v] = state.slots[name];
      const { learningRate: lr, beta1, beta2, epsilon, weightDecay } = spec;
      const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
      const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
      const decayed = tf.mul(p, 1 - lr * weightDecay);
      const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(1 - beta2 ** t)), epsilon);
      const next = tf.sub(decayed, tf.mul(tf.div(m1, denom), lr / (1 - beta1 ** t)));
      m.assign(masked(m1, m, alive));
      v.assign(masked(v1, v, alive));
      p.assign(masked(next, p, alive));
    }
  });
}
