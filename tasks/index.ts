/** The task registry: presets per task and the model each configuration builds. */
import type { TaskModel, TaskName, TrainingConfig } from '../src/train/task.ts';
import { MODADD_PAPER, modularAdditionModel } from './modular-addition/index.ts';
import { PARITY_PAPER, sparseParityModel } from './sparse-parity/index.ts';

export const TASKS: readonly TaskName[] = ['modular-addition', 'sparse-parity'];

const adamw = (learningRate: number, weightDecay: number) => ({ kind: 'adamw' as const, learningRate, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay });

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
export const MODADD_QUICK = { modulus: 59, dModel: 64, heads: 4, dHead: 16, dMlp: 256, trainFraction: 0.4, layerNorm: false };

/** Presets: the paper's reference configurations (SPEC §3) and teaching presets. */
export const PRESETS: Record<TaskName, Record<string, Omit<TrainingConfig, 'task' | 'preset'>>> = {
  'modular-addition': {
    paper: { epochs: 10000, checkpointEvery: 10, batchSize: 2048, optimizer: adamw(1e-3, 1.0), convergenceThreshold: 0.9, model: { ...MODADD_PAPER } },
    stabilized: {
      epochs: 10000,
      checkpointEvery: 10,
      batchSize: 256,
      optimizer: adamw(1e-3, 1.0),
      convergenceThreshold: 0.9,
      model: { ...MODADD_PAPER, layerNorm: true },
    },
    quick: { epochs: 1000, checkpointEvery: 5, batchSize: 1392, optimizer: adamw(5e-3, 2.0), convergenceThreshold: 0.9, model: { ...MODADD_QUICK } },
  },
  'sparse-parity': {
    paper: {
      epochs: 300,
      checkpointEvery: 1,
      batchSize: 32,
      optimizer: { kind: 'sgd', learningRate: 0.1, weightDecay: 0.01 },
      convergenceThreshold: 0.9,
      model: { ...PARITY_PAPER },
    },
    /** The paper's configuration stopped at epoch 200: in our 40-seed paper run every seed converged between epochs 90 and 200 (mean 126). */
    quick: {
      epochs: 200,
      checkpointEvery: 1,
      batchSize: 32,
      optimizer: { kind: 'sgd', learningRate: 0.1, weightDecay: 0.01 },
      convergenceThreshold: 0.9,
      model: { ...PARITY_PAPER },
    },
  },
};

export interface ConfigOverrides {
  epochs?: number;
  checkpointEvery?: number;
  batchSize?: number;
  layerNorm?: boolean;
  learningRate?: number;
}

export function trainingConfig(task: string, preset: string, overrides: ConfigOverrides = {}): TrainingConfig {
  if (!TASKS.includes(task as TaskName)) throw new Error(`unknown task '${task}'; tasks: ${TASKS.join(', ')}`);
  const presets = PRESETS[task as TaskName];
  const base = presets[preset];
  if (!base) throw new Error(`unknown preset '${preset}' for ${task}; presets: ${Object.keys(presets).join(', ')}`);
  const cfg: TrainingConfig = structuredClone({ ...base, task: task as TaskName, preset });
  if (overrides.epochs !== undefined) cfg.epochs = overrides.epochs;
  if (overrides.checkpointEvery !== undefined) cfg.checkpointEvery = overrides.checkpointEvery;
  if (overrides.batchSize !== undefined) cfg.batchSize = overrides.batchSize;
  if (overrides.learningRate !== undefined) cfg.optimizer.learningRate = overrides.learningRate;
  if (overrides.layerNorm !== undefined) {
    if (task !== 'modular-addition') throw new Error('--layer-norm applies to modular-addition only');
    cfg.model.layerNorm = overrides.layerNorm;
  }
  validateConfig(cfg);
  return cfg;
}

export function validateConfig(cfg: TrainingConfig): void {
  const whole = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${name} must be a whole number ≥ 1, got ${v}`);
  };
  whole('epochs', cfg.epochs);
  whole('checkpoint interval', cfg.checkpointEvery);
  whole('batch size', cfg.batchSize);
  const lr = cfg.optimizer.learningRate;
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`learning rate must be a finite number > 0, got ${lr}`);
  if (!(Number.isFinite(cfg.optimizer.weightDecay) && cfg.optimizer.weightDecay >= 0))
    throw new Error(`weight decay must be finite and ≥ 0, got ${cfg.optimizer.weightDecay}`);
}

export function createTaskModel(cfg: TrainingConfig): TaskModel {
  return cfg.task === 'modular-addition' ? modularAdditionModel(cfg) : sparseParityModel(cfg);
}
