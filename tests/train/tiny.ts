import { CHECKPOINT_COLUMNS } from '../../src/metrics/index.ts';
import { BatchedTrainer, type CheckpointRow, type SeedCheckpoint } from '../../src/train/batchedTrainer.ts';
import type { TrainingConfig } from '../../src/train/task.ts';
import { createTaskModel } from '../../tasks/index.ts';

/** A sparse-parity configuration small enough for many test runs. */
export function tinyParity(over: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    task: 'sparse-parity',
    preset: 'tiny',
    epochs: 2,
    checkpointEvery: 1,
    batchSize: 16,
    optimizer: { kind: 'sgd', learningRate: 0.1, weightDecay: 0.01 },
    convergenceThreshold: 0.9,
    model: { bits: 12, parityBits: 3, hidden: 32, nTrain: 64, nEval: 32 },
    ...over,
  };
}

/** A modular-addition configuration small enough for many test runs. */
export function tinyModAdd(
  model: Partial<Record<string, number | boolean>> = {},
  over: Partial<TrainingConfig> = {},
): TrainingConfig {
  return {
    task: 'modular-addition',
    preset: 'tiny',
    epochs: 2,
    checkpointEvery: 1,
    batchSize: 20,
    optimizer: { kind: 'adamw', learningRate: 1e-3, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 1 },
    convergenceThreshold: 0.9,
    model: { modulus: 11, dModel: 16, heads: 2, dHead: 8, dMlp: 32, trainFraction: 0.5, layerNorm: false, ...model },
    ...over,
  } as TrainingConfig;
}

/** Trains `seeds` to the end on the current backend; the checkpoints, one array per checkpoint. */
export async function trainCheckpoints(cfg: TrainingConfig, seeds: number[]): Promise<SeedCheckpoint[][]> {
  const trainer = new BatchedTrainer(await createTaskModel(cfg), seeds);
  const rows: SeedCheckpoint[][] = [];
  while (!trainer.done) {
    trainer.step();
    if (trainer.atCheckpoint()) rows.push(await trainer.checkpoint());
  }
  trainer.dispose();
  return rows;
}

/** One seed's checkpoint rows as bundle columns (row index = checkpoint ordinal). */
export function columnsOf(rows: readonly CheckpointRow[]): Record<string, number[]> {
  return Object.fromEntries(CHECKPOINT_COLUMNS.map((c) => [c, rows.map((r) => r[c])]));
}
