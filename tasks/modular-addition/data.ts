/** Modular addition's data: the settings a configuration carries and each seed's split of all p² pairs. No tfjs here. */
import { createRng } from '../../src/numeric/rng.ts';
import type { SeedData, TrainingConfig, Workload } from '../../src/train/task.ts';

export interface ModularAdditionSettings {
  modulus: number;
  dModel: number;
  heads: number;
  dHead: number;
  dMlp: number;
  trainFraction: number;
  layerNorm: boolean;
}

export const MODADD_PAPER: ModularAdditionSettings = {
  modulus: 113,
  dModel: 128,
  heads: 4,
  dHead: 32,
  dMlp: 512,
  trainFraction: 0.3,
  layerNorm: false,
};

/** The seed's split of all p² pairs: the first ⌊fraction·p²⌋ of a seeded shuffle train, the rest evaluate. */
export function modularAdditionData(s: ModularAdditionSettings, seed: number): SeedData {
  const p = s.modulus;
  const order = Int32Array.from({ length: p * p }, (_, i) => i);
  createRng(seed, 'modular-addition-split').shuffle(order);
  const nTrain = Math.floor(s.trainFraction * p * p);
  const encode = (idx: Int32Array) => {
    const x = new Int32Array(idx.length * 3);
    const y = new Int32Array(idx.length);
    idx.forEach((pair, r) => {
      const i = Math.floor(pair / p);
      const j = pair % p;
      x.set([i, j, p], r * 3);
      y[r] = (i + j) % p;
    });
    return { x, y };
  };
  const train = encode(order.subarray(0, nTrain));
  const evaluation = encode(order.subarray(nTrain));
  return {
    trainInputs: train.x,
    trainLabels: train.y,
    evalInputs: evaluation.x,
    evalLabels: evaluation.y,
    nTrain,
    nEval: p * p - nTrain,
  };
}

/**
 * Sizes and forward cost of one example, as model.ts computes it: the one-hot embedding product, keys and values at
 * all three positions, the query, attention and output projection, the MLP and the unembedding at the last.
 */
export function modularAdditionWorkload(config: TrainingConfig): Workload {
  const s = settingsFrom(config.model);
  const { modulus: p, dModel: d, dMlp: m } = s;
  const hd = s.heads * s.dHead;
  const nTrain = Math.floor(s.trainFraction * p * p);
  return {
    trainExamples: nTrain,
    evalExamples: p * p - nTrain,
    macsPerExample: 3 * (p + 1) * d + 6 * d * hd + d * hd + 6 * hd + hd * d + 2 * d * m + d * p,
  };
}

export function settingsFrom(model: TrainingConfig['model']): ModularAdditionSettings {
  const s: ModularAdditionSettings = {
    modulus: Number(model.modulus),
    dModel: Number(model.dModel),
    heads: Number(model.heads),
    dHead: Number(model.dHead),
    dMlp: Number(model.dMlp),
    trainFraction: Number(model.trainFraction),
    layerNorm: Boolean(model.layerNorm),
  };
  for (const k of ['modulus', 'dModel', 'heads', 'dHead', 'dMlp'] as const) {
    if (!(Number.isInteger(s[k]) && s[k] >= 1))
      throw new Error(`modular addition: ${k} must be a whole number ≥ 1, got ${s[k]}`);
  }
  if (s.modulus < 2) throw new Error(`modular addition: modulus must be at least 2, got ${s.modulus}`);
  if (!(s.trainFraction > 0 && s.trainFraction < 1))
    throw new Error(`modular addition: trainFraction must be in (0, 1), got ${s.trainFraction}`);
  if (Math.floor(s.trainFraction * s.modulus ** 2) < 1)
    throw new Error('modular addition: the training split is empty');
  return s;
}

/**
 * modular-addition/cpu, the teaching preset for a CPU (issue #16 §3): p = 29, 45% of the pairs for training
 * (378, full batch), a 32-wide transformer (4 heads of 8, MLP 128), AdamW lr 0.03 with weight decay 1.5 (betas
 * 0.9, 0.98), 600 epochs, a checkpoint every 5. The search that chose it is in docs/teaching-preset.md.
 *
 * Evidence, `trainmap run --task modular-addition --preset cpu --seeds 40` on the 2-core CPU development machine
 * (wasm, 100 s): 38 of 40 seeds memorized first (train accuracy ≥ 0.99 while eval accuracy < 0.5); 18 generalized
 * (eval accuracy ≥ 0.9) at epochs 155 / 230 / 335 / 430 / 595 (min, quartiles, max). In the page (40 seeds, wasm on
 * 2 threads, `npm run bench -- teaching-preset`): 141 seed-steps/s, the first map 5.5 s after Start, two states
 * at 26.5 s, the last step at 156.5 s and a map with a fork (K = 3, chosen by model selection) at 161.7 s.
 */
export const MODADD_CPU: ModularAdditionSettings = {
  modulus: 29,
  dModel: 32,
  heads: 4,
  dHead: 8,
  dMlp: 128,
  trainFraction: 0.45,
  layerNorm: false,
};

/**
 * modular-addition/quick, a teaching preset: memorization first, generalization later, and seeds that
 * generalize at clearly different times, in a fraction of the paper's compute. p = 59 with 40% of the pairs
 * for training (1392), full batch, a 64-wide transformer (4 heads of 16, MLP 256), AdamW lr 5e-3 with weight
 * decay 2 (betas 0.9, 0.98), 1000 epochs, a checkpoint every 5.
 *
 * Evidence, `trainmap run --task modular-addition --preset quick --seeds 8` on the 2-core CPU development
 * machine (wasm, 14 min): every seed memorized first — train accuracy ≥ 0.99 at epochs 70, 80, 70, 75, 70,
 * 70, 75, 70 (seeds 0–7) while eval accuracy was 0.26, 0.21, 0.13, 0.10, 0.12, 0.26, 0.06, 0.17 — and seven
 * generalized (eval accuracy ≥ 0.9) at epochs 430, 860, 480, 280, –, 280, 685, 355; seed 4 reached 0.82 by
 * epoch 1000. Candidates rejected (4 seeds, 10-epoch checkpoints): 50% training pairs
 * (lr 5e-3, wd 1) generalized at epochs 260–420 but eval accuracy was already 0.50 at memorization; 35%
 * (lr 5e-3, wd 1) generalized only at 950–1960 (one seed not by 2000); 35% with lr 1e-2, wd 2 generalized at
 * 220–800 but with loss spikes. Each step is ~0.55 s for 4 seeds on that CPU; on a GPU the 1000 full-batch
 * steps are the whole cost, which is what makes it quick there.
 */
export const MODADD_QUICK: ModularAdditionSettings = {
  modulus: 59,
  dModel: 64,
  heads: 4,
  dHead: 16,
  dMlp: 256,
  trainFraction: 0.4,
  layerNorm: false,
};
