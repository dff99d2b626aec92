/**
 * The batched-seed trainer: every parameter is [S, ...], each seed has its own data split, init and
 * batch order (all derived from its seed alone), and one optimizer step advances all S seeds.
 * Nothing couples seeds, so seed s trained among S gives the numbers it gives alone.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../numeric/rng.ts';
import { column, type Checkpoints } from '../io/runBundle.ts';
import {
  checkSingularValuesEvery,
  METRIC_NAMES,
  type CheckpointColumn,
  SINGULAR_VALUE_METRICS,
  singularValuesDue,
  type SingularValueMetric,
  type WeightMetrics,
} from '../metrics/index.ts';
import { METRICS_PATH_COLUMN, SeedMetrics } from './gpuMetrics.ts';
import { applyUpdate, createOptimizerState, type OptimizerState } from './optimizers.ts';
import { SeedBatches, sliceSeeds } from './seedBatches.ts';
import { submitWebGpu } from './webgpuDispatch.ts';
import type { SeedData, TaskModel } from './task.ts';
import type { CheckpointRow, SeedCheckpoint, TrainingState } from './trainerTypes.ts';
import { taskCheckpointColumns } from './taskColumns.ts';

export type { CheckpointRow, SeedCheckpoint, TrainingState } from './trainerTypes.ts';

const EVAL_EXAMPLES_PER_CHUNK = 16384;

const DIVERGENCE_SIGNALS: readonly CheckpointColumn[] = [
  'train_loss',
  'eval_loss',
  'l1',
  'l2',
  'weight_mean',
  'bias_mean',
];

/**
 * Activation memory one gradient computation may use (float32 values): 2^27 ≈ 512 MB. Beyond it the
 * seeds are split into chunks whose gradients are computed one after another before the single
 * optimizer step; each seed's arithmetic is the same either way. (wasm's heap stops at 4 GB, and a GPU
 * in a laptop may have less to give.)
 */
export const ACTIVATION_BUDGET_FLOATS = 2 ** 27;

export class BatchedTrainer {
  readonly seeds: readonly number[];
  readonly data: SeedData[];
  readonly params: Record<string, tf.Variable> = {};
  readonly optimizer: OptimizerState;
  readonly stepsPerEpoch: number;
  epoch = 0;
  batch = 0;
  private alive: number[];
  private aliveTensor: tf.Tensor1D;
  readonly divergedAt: (number | null)[];
  /** config.singularValuesEvery (default 1): the singular-value metrics at every k-th checkpoint; see checkpoint(). */
  readonly singularValuesEvery: number;
  /** Per seed, the four singular-value metrics of its last checkpoint that computed them (null: none yet). */
  private carried: (Record<SingularValueMetric, number> | null)[];
  private readonly batches: SeedBatches;

  constructor(
    readonly task: TaskModel,
    seeds: readonly number[],
    readonly options: { activationBudgetFloats?: number } = {},
  ) {
    if (seeds.length < 1) throw new Error('need at least one seed');
    const cfg = task.config;
    this.seeds = seeds;
    this.data = seeds.map((s) => task.makeData(s));
    const nTrain = this.data[0].nTrain;
    if (this.data.some((d) => d.nTrain !== nTrain || d.nEval !== this.data[0].nEval))
      throw new Error('every seed must have the same data sizes');
    if (!(Number.isInteger(cfg.batchSize) && cfg.batchSize >= 1))
      throw new Error(`batch size must be a whole number ≥ 1, got ${cfg.batchSize}`);
    if (cfg.batchSize > nTrain)
      throw new Error(`batch size ${cfg.batchSize} is larger than the ${nTrain} training examples`);
    this.stepsPerEpoch = Math.ceil(nTrain / cfg.batchSize);
    this.batches = new SeedBatches(task, seeds, this.data);
    this.singularValuesEvery = cfg.singularValuesEvery ?? 1;
    checkSingularValuesEvery(this.singularValuesEvery);
    const s = seeds.length;
    for (const p of task.params) {
      const size = p.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(s * size);
      seeds.forEach((seed, i) => p.init(createRng(seed, 'init', p.name), values.subarray(i * size, (i + 1) * size)));
      // tidy frees the initial tensor; the variable keeps its own copy.
      this.params[p.name] = tf.tidy(() => tf.variable(tf.tensor(values, [s, ...p.shape]), true));
    }
    this.optimizer = createOptimizerState(cfg.optimizer, this.params);
    this.alive = new Array(s).fill(1);
    this.divergedAt = new Array(s).fill(null);
    this.carried = new Array(s).fill(null);
    this.aliveTensor = tf.tensor1d(this.alive);
  }

  get totalSteps(): number {
    return this.task.config.epochs * this.stepsPerEpoch;
  }

  get stepsDone(): number {
    return this.epoch * this.stepsPerEpoch + this.batch;
  }

  get done(): boolean {
    return this.epoch >= this.task.config.epochs;
  }

  private get allAlive(): boolean {
    return this.alive.every((a) => a === 1);
  }

  isAlive(i: number): boolean {
    return this.alive[i] === 1;
  }

  /** Seed ranges [from, to) whose gradients are computed together within the activation budget. */
  seedChunks(batchSize = this.task.config.batchSize): [number, number][] {
    const s = this.seeds.length;
    const perSeed = Math.max(1, this.task.activationFloatsPerExample * Math.min(batchSize, this.data[0].nTrain));
    const budget = this.options.activationBudgetFloats ?? ACTIVATION_BUDGET_FLOATS;
    const size = Math.max(1, Math.min(s, Math.floor(budget / perSeed)));
    const chunks: [number, number][] = [];
    for (let from = 0; from < s; from += size) chunks.push([from, Math.min(s, from + size)]);
    return chunks;
  }

  /** One optimizer step on the next batch for all seeds. */
  step(): void {
    if (this.done) throw new Error('training is already complete');
    tf.tidy(() => {
      const { inputs, labels } = this.batches.tensors(this.epoch, this.batch);
      const vars = Object.values(this.params);
      const chunks = this.seedChunks();
      let total: Record<string, tf.Tensor> = {};
      for (const [from, to] of chunks) {
        const whole = chunks.length === 1;
        const { grads } = tf.variableGrads(() => {
          // A chunk sees its seeds' slices; the slices' gradients land in the full [S, ...] shape.
          const params = whole
            ? this.params
            : Object.fromEntries(Object.entries(this.params).map(([n, v]) => [n, sliceSeeds(v, from, to)]));
          const x = whole ? inputs : sliceSeeds(inputs, from, to);
          const y = whole ? labels : sliceSeeds(labels, from, to);
          const perSeed = tf.mean(this.task.exampleLoss(this.task.forward(params, x), y), 1);
          // Diverged seeds contribute nothing (their NaN never reaches the others' gradients anyway).
          if (this.allAlive) return tf.sum(perSeed) as tf.Scalar;
          const alive = sliceSeeds(this.aliveTensor, from, to).cast('bool');
          return tf.sum(tf.where(alive, perSeed, tf.zerosLike(perSeed))) as tf.Scalar;
        }, vars);
        // Several chunks exist to bound memory: on webgpu a chunk's temporaries return to the pool only at a submit.
        if (chunks.length > 1) submitWebGpu();
        // variableGrads keys gradients by tfjs's variable names; the optimizer speaks parameter names.
        const byParam = Object.fromEntries(Object.entries(this.params).map(([name, v]) => [name, grads[v.name]]));
        total = whole
          ? byParam
          : Object.fromEntries(
              Object.entries(byParam).map(([name, g]) => [name, total[name] ? tf.add(total[name], g) : g]),
            );
      }
      applyUpdate(
        this.task.config.optimizer,
        this.optimizer,
        this.params,
        total,
        this.allAlive ? null : this.aliveTensor,
      );
    });
    // On webgpu the step (or its last chunk and the update) was recorded into one command buffer; submitted here,
    // after the tidy has released its temporaries, so their buffers return to tfjs's pool for the next step.
    submitWebGpu();
    this.batch++;
    if (this.batch === this.stepsPerEpoch) {
      this.batch = 0;
      this.epoch++;
    }
  }

  /** True when the epoch just completed is a checkpoint epoch (every `checkpointEvery` epochs, and the last). */
  atCheckpoint(): boolean {
    const { checkpointEvery, epochs } = this.task.config;
    return this.batch === 0 && this.epoch > 0 && (this.epoch % checkpointEvery === 0 || this.epoch === epochs);
  }

  /** Mean loss and accuracy per seed over a whole split, in chunks that bound memory. */
  private async evaluate(split: 'train' | 'eval'): Promise<{ loss: Float32Array; acc: Float32Array }> {
    const s = this.seeds.length;
    const n = split === 'train' ? this.data[0].nTrain : this.data[0].nEval;
    const w = this.task.inputWidth;
    const chunk = Math.max(1, Math.floor(EVAL_EXAMPLES_PER_CHUNK / s));
    let lossSum = tf.zeros([s]);
    let correctSum = tf.zeros([s]);
    for (let from = 0; from < n; from += chunk) {
      const size = Math.min(chunk, n - from);
      const { inputs, labels } = this.batches.examples(split, from, size);
      const [l, c] = tf.tidy(() => {
        const x = tf.tensor(inputs, [s, size, w], this.task.inputDtype);
        const y = tf.tensor(labels, [s, size], this.task.labelDtype);
        const out = this.task.forward(this.params, x);
        return [
          tf.add(lossSum, tf.sum(this.task.exampleLoss(out, y), 1)),
          tf.add(correctSum, tf.sum(this.task.exampleCorrect(out, y), 1)),
        ];
      });
      lossSum.dispose();
      correctSum.dispose();
      lossSum = l;
      correctSum = c;
    }
    const [loss, acc] = await Promise.all([lossSum.data(), correctSum.data()]);
    lossSum.dispose();
    correctSum.dispose();
    return { loss: (loss as Float32Array).map((v) => v / n), acc: (acc as Float32Array).map((v) => v / n) };
  }

  /**
   * The 14 weight metrics of every seed, each row marked with the path that computed it
   * (METRICS_PATH_COLUMN: 1 = WebGPU kernels on the webgpu backend, 0 = read back, CPU path).
   * `{ singularValues: false }`: the four singular-value metrics NaN, their SVDs skipped.
   */
  async metrics(
    options: { singularValues?: boolean } = {},
  ): Promise<(WeightMetrics & { [METRICS_PATH_COLUMN]: number })[]> {
    this.seedMetrics ??= new SeedMetrics(this.task.params, this.seeds.length);
    const { metrics, path } = await this.seedMetrics.compute(this.params, options);
    return metrics.map((m) => ({ ...m, [METRICS_PATH_COLUMN]: path === 'gpu' ? 1 : 0 }));
  }

  private seedMetrics?: SeedMetrics;

  /**
   * 0-based ordinal of the checkpoint at the current position: ⌈epoch / checkpointEvery⌉ − 1, so the first
   * checkpoint epoch is 0 and the final epoch (a checkpoint even off the grid) counts as the next one. A
   * position before the first checkpoint epoch counts as 0. (A run whose epochs were extended on resume keeps
   * its old final row; the rows after it keep the ordinals of an uninterrupted run of the new length.)
   */
  checkpointOrdinal(): number {
    const epoch = this.epoch + this.batch / this.stepsPerEpoch;
    return Math.max(0, Math.ceil(epoch / this.task.config.checkpointEvery) - 1);
  }

  /**
   * Losses, accuracies and metrics of every live seed now; marks seeds whose numbers are not finite.
   *
   * The singular-value metrics (sv-every = k, src/metrics/singularValueCarry.ts): computed when
   * checkpointOrdinal() % k === 0; otherwise each seed's row repeats the four values of its last checkpoint
   * that computed them (from this trainer, or from its bundle via restoreSingularValueCarry after a resume),
   * and their SVDs are skipped. A seed with nothing to repeat (a checkpoint taken off the schedule before any
   * due one) has them computed instead.
   */
  async checkpoint(): Promise<SeedCheckpoint[]> {
    const due = singularValuesDue(this.checkpointOrdinal(), this.singularValuesEvery);
    const fresh = this.seeds.map((_, i) => due || this.carried[i] === null);
    const [train, evaluation, metrics, taskColumns] = await Promise.all([
      this.evaluate('train'),
      this.evaluate('eval'),
      this.metrics({ singularValues: fresh.some((f, i) => f && this.alive[i] === 1) }),
      taskCheckpointColumns(this.task, this.params, this.seeds.length),
    ]);
    const out: SeedCheckpoint[] = [];
    const step = this.stepsDone;
    this.seeds.forEach((seed, i) => {
      if (!this.alive[i]) return;
      const row = {
        step,
        epoch: this.epoch + this.batch / this.stepsPerEpoch,
        train_loss: train.loss[i],
        train_acc: train.acc[i],
        eval_loss: evaluation.loss[i],
        eval_acc: evaluation.acc[i],
      } as CheckpointRow;
      for (const m of METRIC_NAMES) row[m] = metrics[i][m];
      if (fresh[i]) this.carried[i] = pickSingularValueMetrics(row);
      else Object.assign(row, this.carried[i]);
      row[METRICS_PATH_COLUMN] = metrics[i][METRICS_PATH_COLUMN];
      if (taskColumns) Object.assign(row, taskColumns[i]);
      // Divergence means non-finite losses or weights (l1, l2 and the means are finite exactly when every
      // weight is); a ratio like trace/spectral can be 0/0 for a healthy all-zero matrix.
      const bad = DIVERGENCE_SIGNALS.filter((k) => !Number.isFinite(row[k]));
      const entry: SeedCheckpoint = { seed, row };
      if (bad.length > 0) {
        entry.diverged = `${bad.slice(0, 3).join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''} not finite at step ${step}`;
        this.markDiverged(i, step);
      }
      out.push(entry);
    });
    return out;
  }

  private markDiverged(i: number, step: number): void {
    this.alive[i] = 0;
    this.divergedAt[i] = step;
    this.aliveTensor.dispose();
    this.aliveTensor = tf.tensor1d(this.alive);
  }

  /** Everything needed to continue exactly from here. */
  async snapshot(): Promise<TrainingState> {
    const params: Record<string, Float32Array> = {};
    const slots: Record<string, Float32Array[]> = {};
    for (const [name, v] of Object.entries(this.params)) {
      params[name] = (await v.data()) as Float32Array;
      slots[name] = await Promise.all((this.optimizer.slots[name] ?? []).map((s) => s.data() as Promise<Float32Array>));
    }
    return {
      epoch: this.epoch,
      batch: this.batch,
      optimizerStep: this.optimizer.step,
      alive: [...this.alive],
      divergedAt: [...this.divergedAt],
      params,
      slots,
    };
  }

  /** Continues from a snapshot; everything is checked before anything is assigned, so a refusal changes nothing. */
  restore(state: TrainingState): void {
    const s = this.seeds.length;
    if (state.alive.length !== s || state.divergedAt.length !== s)
      throw new Error(`saved state describes ${state.alive.length} seeds, this run trains ${s}`);
    if (!(Number.isInteger(state.batch) && state.batch >= 0 && state.batch < this.stepsPerEpoch))
      throw new Error(
        `saved state is at batch ${state.batch} of an epoch, but an epoch has ${this.stepsPerEpoch} steps`,
      );
    for (const [name, v] of Object.entries(this.params)) {
      const values = state.params[name];
      if (!values || values.length !== v.size)
        throw new Error(`saved state has no matching values for parameter ${name}`);
      (this.optimizer.slots[name] ?? []).forEach((slot, k) => {
        const sv = state.slots[name]?.[k];
        if (!sv || sv.length !== slot.size) throw new Error(`saved state has no optimizer slot ${k} for ${name}`);
      });
    }
    for (const [name, v] of Object.entries(this.params)) {
      tf.tidy(() => v.assign(tf.tensor(state.params[name], v.shape)));
      (this.optimizer.slots[name] ?? []).forEach((slot, k) =>
        tf.tidy(() => slot.assign(tf.tensor(state.slots[name][k], slot.shape))),
      );
    }
    this.epoch = state.epoch;
    this.batch = state.batch;
    this.optimizer.step = state.optimizerStep;
    this.alive = [...state.alive];
    this.divergedAt.splice(0, this.divergedAt.length, ...state.divergedAt);
    this.aliveTensor.dispose();
    this.aliveTensor = tf.tensor1d(this.alive);
    // What the next non-due checkpoint repeats is in the run's rows, not in the state: see restoreSingularValueCarry.
    this.carried.fill(null);
  }

  /**
   * After restore(): what the next checkpoints that do not compute the singular-value metrics repeat, from the
   * bundle's runs (one per seed, in seed order, already cut back to the restored step). A run's last row holds
   * the four values of its last checkpoint that computed them (it either computed them or repeated them), so
   * a resumed run's rows equal an uninterrupted run's. A run without rows has nothing to carry yet.
   */
  restoreSingularValueCarry(runs: readonly { checkpoints: Checkpoints }[]): void {
    if (runs.length !== this.seeds.length)
      throw new Error(`the bundle has ${runs.length} runs, this run trains ${this.seeds.length} seeds`);
    this.carried = runs.map(({ checkpoints }) => {
      const last = checkpoints.step.length - 1;
      if (last < 0) return null;
      const values = SINGULAR_VALUE_METRICS.map((m) => column(checkpoints, m)?.[last]);
      if (values.some((v) => v === undefined)) return null;
      return Object.fromEntries(SINGULAR_VALUE_METRICS.map((m, j) => [m, values[j]])) as Record<
        SingularValueMetric,
        number
      >;
    });
  }

  /** Resolves once the device has finished every step queued so far (step() only queues work on WebGPU). */
  async settle(): Promise<void> {
    await Promise.all(Object.values(this.params).map((v) => v.data()));
  }

  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
    for (const slots of Object.values(this.optimizer.slots)) for (const s of slots) s.dispose();
    this.aliveTensor.dispose();
  }
}

function pickSingularValueMetrics(row: Record<string, number>): Record<SingularValueMetric, number> {
  return Object.fromEntries(SINGULAR_VALUE_METRICS.map((m) => [m, row[m]])) as Record<SingularValueMetric, number>;
}
