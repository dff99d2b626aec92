/**
 * The tasks: each folder registers itself on import (name, presets, model loader); this module turns a task,
 * a preset and overrides into a checked TrainingConfig and builds its model. Adding a task is a new folder
 * and one import line below. Nothing here loads tfjs until a model is built.
 */
import type { PresetDefinition, TaskDefinition, TaskModel, TrainingConfig } from '../src/train/task.ts';
import { getTask, taskNames } from './registry.ts';
import './sparse-parity/index.ts';
import './modular-addition/index.ts';

export { getTask, taskNames };

export interface ConfigOverrides {
  epochs?: number;
  checkpointEvery?: number;
  /** The sv-every setting: 1 (or undefined) leaves the key out of the config, any other value sets it. */
  singularValuesEvery?: number;
  batchSize?: number;
  learningRate?: number;
  weightDecay?: number;
  /** Task-specific settings by their settings-table name (e.g. 'layer-norm'); see TaskDefinition.modelSettings. */
  model?: Record<string, number | boolean>;
}

function taskOrThrow(name: string): TaskDefinition {
  const task = getTask(name);
  if (!task) throw new Error(`unknown task '${name}'; tasks: ${taskNames().sort().join(', ')}`);
  return task;
}

export function presetOf(task: string, preset: string): PresetDefinition {
  const def = taskOrThrow(task);
  const base = Object.hasOwn(def.presets, preset) ? def.presets[preset] : undefined;
  if (!base)
    throw new Error(`unknown preset '${preset}' for ${task}; presets: ${Object.keys(def.presets).sort().join(', ')}`);
  return base;
}

export function trainingConfig(task: string, preset: string, overrides: ConfigOverrides = {}): TrainingConfig {
  const def = taskOrThrow(task);
  const { description: _d, teaching: _t, device: _v, ...base } = presetOf(task, preset);
  const cfg: TrainingConfig = structuredClone({ ...base, task, preset });
  if (overrides.epochs !== undefined) cfg.epochs = overrides.epochs;
  if (overrides.checkpointEvery !== undefined) cfg.checkpointEvery = overrides.checkpointEvery;
  // 1 is the default and is never written: a config without the key is the same run (checkResume compares JSON).
  if (overrides.singularValuesEvery !== undefined) {
    if (overrides.singularValuesEvery === 1) delete cfg.singularValuesEvery;
    else cfg.singularValuesEvery = overrides.singularValuesEvery;
  }
  if (overrides.batchSize !== undefined) cfg.batchSize = overrides.batchSize;
  if (overrides.learningRate !== undefined) cfg.optimizer.learningRate = overrides.learningRate;
  if (overrides.weightDecay !== undefined) cfg.optimizer.weightDecay = overrides.weightDecay;
  for (const [setting, value] of Object.entries(overrides.model ?? {})) {
    const key = def.modelSettings && Object.hasOwn(def.modelSettings, setting) ? def.modelSettings[setting] : undefined;
    if (!key) {
      const owners = taskNames().filter((t) => getTask(t)!.modelSettings?.[setting]);
      throw new Error(`--${setting} applies to ${owners.length ? owners.join(', ') + ' only' : 'no task'}`);
    }
    cfg.model[key] = value;
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
  if (cfg.singularValuesEvery !== undefined) whole('singular-value interval (sv-every)', cfg.singularValuesEvery);
  whole('batch size', cfg.batchSize);
  const lr = cfg.optimizer.learningRate;
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`learning rate must be a finite number > 0, got ${lr}`);
  if (!(Number.isFinite(cfg.optimizer.weightDecay) && cfg.optimizer.weightDecay >= 0))
    throw new Error(`weight decay must be finite and ≥ 0, got ${cfg.optimizer.weightDecay}`);
}

/** The model of a configuration; loads the task's model code (and tfjs) the first time. */
export async function createTaskModel(cfg: TrainingConfig): Promise<TaskModel> {
  const build = await taskOrThrow(cfg.task).loadModel();
  return build(cfg);
}
