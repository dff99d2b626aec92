/** The task registry: presets per task and the model each configuration builds. */
import type { TaskModel, TaskName, TrainingConfig } from '../src/train/task.ts';
import { MODADD_PAPER, modularAdditionModel } from './modular-addition/index.ts';
import { PARITY_PAPER, sparseParityModel } from './sparse-parity/index.ts';

export const TASKS: readonly TaskName[] = ['modular-addition', 'sparse-parity'];

const adamw = (learningRate: number, weightDecay: number) => ({ kind: 'adamw' as const, learningRate, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay });

/**
 * Presets: the paper's reference configurations (SPEC §3) and teaching presets.
 * modular-addition/quick: see QUICK_MODADD_EVIDENCE.
 */
export const PRESETS: Record<TaskName, Record<string, Omit<TrainingConfig, 'task' | 'preset'>>> = {
  'modular-addition': {
    paper: { epochs: 10000, checkpointEvery: 10, batchSize: 2048, optimizer: adamw(1e-3, 1.0), convergenceThreshold: 0.9, model: { ...MODADD_PAPER } },
    stabilized: { epochs: 10000, checkpointEvery: 10, batchSize: 256, optimizer: adamw(1e-3, 1.0), convergenceThreshold: 0.9, model: { ...MODADD_PAPER, layerNorm: true } },
  },
  'sparse-parity': {
    paper: { epochs: 300, checkpointEvery: 1, batchSize: 32, optimizer: { kind: 'sgd', learningRate: 0.1, weightDecay: 0.01 }, convergenceThreshold: 0.9, model: { ...PARITY_PAPER } },
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
  if (!(Number.isFinite(cfg.optimizer.weightDecay) && cfg.optimizer.weightDecay >= 0)) throw new Error(`weight decay must be finite and ≥ 0, got ${cfg.optimizer.weightDecay}`);
}

export function createTaskModel(cfg: TrainingConfig): TaskModel {
  return cfg.task === 'modular-addition' ? modularAdditionModel(cfg) : sparseParityModel(cfg);
}
