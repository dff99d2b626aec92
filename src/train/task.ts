/** What a task (tasks/<name>/) gives the batched trainer: data per seed, parameters, and the model. */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../numeric/rng.ts';

/** A registered task's name (tasks/<name>/index.ts registers it). */
export type TaskName = string;

export interface ParamSpec {
  name: string;
  /** Shape of one seed's parameter (the trainer adds the leading seed dimension). */
  shape: number[];
  /** Fills one seed's initial values from that seed's own random stream. */
  init(rng: Rng, out: Float32Array): void;
  /**
   * 'matrix' and 'bias' enter the 14 weight metrics; 'excluded' (embeddings, unembedding, layer norm)
   * do not. A matrix parameter of shape [n, r, c] counts as n matrices of r×c (attention heads).
   */
  role: 'matrix' | 'bias' | 'excluded';
}

export interface SeedData {
  /** Row-major examples: nTrain × inputWidth and nEval × inputWidth. */
  trainInputs: Int32Array | Float32Array;
  trainLabels: Int32Array | Float32Array;
  evalInputs: Int32Array | Float32Array;
  evalLabels: Int32Array | Float32Array;
  nTrain: number;
  nEval: number;
}

export type OptimizerSpec =
  | { kind: 'adamw'; learningRate: number; beta1: number; beta2: number; epsilon: number; weightDecay: number }
  | { kind: 'sgd'; learningRate: number; weightDecay: number };

export interface TrainingConfig {
  task: TaskName;
  preset: string;
  epochs: number;
  checkpointEvery: number;
  /**
   * The singular-value metrics (spectral, trace_over_spectral, sv_mean, sv_var) at every k-th checkpoint only,
   * repeated in between (src/metrics/singularValueCarry.ts); absent means 1, every checkpoint. Only ever set
   * when not 1, so configurations saved before it existed compare equal on resume.
   */
  singularValuesEvery?: number;
  batchSize: number;
  optimizer: OptimizerSpec;
  /** Eval accuracy above which a run counts as converged (method.md §9). */
  convergenceThreshold: number;
  /** Task-specific settings (modulus, widths, layer norm…), recorded in the bundle's group config. */
  model: Record<string, number | boolean>;
}

export interface TaskModel {
  config: TrainingConfig;
  params: ParamSpec[];
  inputDtype: 'int32' | 'float32';
  inputWidth: number;
  labelDtype: 'int32' | 'float32';
  /** Deterministic in the seed alone: the split (or the sample) and nothing else. */
  makeData(seed: number): SeedData;
  /** Outputs for a batch: inputs [S, B, inputWidth] -> [S, B, outputs]. */
  forward(params: Record<string, tf.Tensor>, inputs: tf.Tensor): tf.Tensor;
  /** Loss of each example, [S, B]. */
  exampleLoss(outputs: tf.Tensor, labels: tf.Tensor): tf.Tensor;
  /** 1 where the prediction is right, [S, B]. */
  exampleCorrect(outputs: tf.Tensor, labels: tf.Tensor): tf.Tensor;
  /** Rough float32 values a training step keeps per example (forward and backward), to size seed chunks. */
  activationFloatsPerExample: number;
  /** Extra columns of every checkpoint row, computed from the weights (not HMM features unless chosen). */
  checkpointColumns?: CheckpointColumns;
}

/** A task's own checkpoint columns (modular addition: the Fourier measures of its embedding). */
export interface CheckpointColumns {
  /** The parameters `compute` reads. */
  params: string[];
  /**
   * One seed's columns from its values of `params` (each the seed's slice, in the ParamSpec's shape). A function of
   * the weights alone, so a resumed run's rows equal an uninterrupted run's; non-finite weights give NaN, not a throw.
   */
  compute(weights: Record<string, Float32Array>): Record<string, number>;
}

/** A preset: a whole configuration of its task, with a line saying what it shows. */
export interface PresetDefinition extends Omit<TrainingConfig, 'task' | 'preset'> {
  /** One line: what the preset is for and what to watch for. */
  description: string;
  /** Small enough to train in a browser in minutes; the lab lists these first. */
  teaching?: boolean;
  /** The machine a teaching preset is sized for: 'cpu' (wasm, a software GPU) or 'gpu' (a hardware GPU); unset: any. */
  device?: 'cpu' | 'gpu';
}

/** What one seed-step and one checkpoint cost, for estimates before Start (src/classroom/setupDuration.ts). */
export interface Workload {
  trainExamples: number;
  evalExamples: number;
  /** Multiply-adds of one example's forward pass. */
  macsPerExample: number;
}

/**
 * What a task folder registers (tasks/<name>/index.ts): its name, presets and model. The definition is plain
 * data so the page can list tasks and presets without loading tfjs; the model code loads on demand.
 */
export interface TaskDefinition {
  name: TaskName;
  title: string;
  /** Presets in display order. */
  presets: Record<string, PresetDefinition>;
  /** Task-specific settings of the settings table this task accepts: setting name → key of `config.model`. */
  modelSettings?: Record<string, string>;
  loadModel(): Promise<(config: TrainingConfig) => TaskModel>;
  /** The configuration's sizes and cost, without loading the model (plain arithmetic on `config.model`). */
  workload?(config: TrainingConfig): Workload;
}
