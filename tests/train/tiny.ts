import { expect } from 'vitest';
import { CHECKPOINT_COLUMNS } from '../../src/metrics/index.ts';
import { METRICS_PATH_COLUMN } from '../../src/train/gpuMetrics.ts';
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

/**
 * Every column of two runs' checkpoints within `rel` of the larger value, or within `abs`: a column that is a mean of
 * signed values (bias_mean) sits near zero, where rounding that differs between backends is large against the value
 * but not against its terms. Which path computed the metrics (metrics_gpu) differs by design between backends.
 */
export function expectRowsClose(
  a: SeedCheckpoint[][],
  b: SeedCheckpoint[][],
  rel: number,
  what = '',
  abs = 1e-6,
): void {
  expect(a.length).toBe(b.length);
  a.forEach((c, i) =>
    c.forEach((e, s) => {
      expect(e.seed).toBe(b[i][s].seed);
      for (const k of CHECKPOINT_COLUMNS) {
        if (k === METRICS_PATH_COLUMN) continue;
        const [v, w] = [e.row[k], b[i][s].row[k]];
        expect(Math.abs(v - w), `${what}: checkpoint ${i}, seed ${e.seed}, ${k}: ${v} vs ${w}`).toBeLessThanOrEqual(
          rel * Math.max(Math.abs(v), Math.abs(w)) + abs,
        );
      }
    }),
  );
}
