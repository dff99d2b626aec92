/** Sparse parity's data: the settings a configuration carries and each seed's sample. No tfjs here. */
import { createRng } from '../../src/numeric/rng.ts';
import type { SeedData, TrainingConfig, Workload } from '../../src/train/task.ts';

export interface SparseParitySettings {
  bits: number;
  parityBits: number;
  hidden: number;
  nTrain: number;
  nEval: number;
}

export const PARITY_PAPER: SparseParitySettings = { bits: 40, parityBits: 3, hidden: 1000, nTrain: 1000, nEval: 100 };

/** Examples drawn per seed: the seed fixes the sample (the "split") and nothing else. */
export function parityData(s: SparseParitySettings, seed: number): SeedData {
  const rng = createRng(seed, 'sparse-parity-data');
  const draw = (n: number) => {
    const x = new Float32Array(n * s.bits);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let prod = 1;
      for (let j = 0; j < s.bits; j++) {
        const v = rng.next() < 0.5 ? -1 : 1;
        x[i * s.bits + j] = v;
        if (j < s.parityBits) prod *= v;
      }
      y[i] = prod;
    }
    return { x, y };
  };
  const train = draw(s.nTrain);
  const evaluation = draw(s.nEval);
  return {
    trainInputs: train.x,
    trainLabels: train.y,
    evalInputs: evaluation.x,
    evalLabels: evaluation.y,
    nTrain: s.nTrain,
    nEval: s.nEval,
  };
}

/** The task's settings from a configuration's `model` record, checked. */
export function paritySettings(model: TrainingConfig['model']): SparseParitySettings {
  const s: SparseParitySettings = {
    bits: Number(model.bits),
    parityBits: Number(model.parityBits),
    hidden: Number(model.hidden),
    nTrain: Number(model.nTrain),
    nEval: Number(model.nEval),
  };
  for (const [k, v] of Object.entries(s))
    if (!(Number.isInteger(v) && v >= 1)) throw new Error(`sparse parity: ${k} must be a whole number ≥ 1, got ${v}`);
  if (s.parityBits > s.bits)
    throw new Error(`sparse parity: parityBits (${s.parityBits}) cannot exceed bits (${s.bits})`);
  return s;
}

/** Sizes and forward cost of one example: the hidden layer and the output unit. */
export function sparseParityWorkload(config: TrainingConfig): Workload {
  const s = paritySettings(config.model);
  return { trainExamples: s.nTrain, evalExamples: s.nEval, macsPerExample: s.bits * s.hidden + s.hidden };
}
