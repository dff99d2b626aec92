/** What the batched-seed trainer (batchedTrainer.ts) gives out: checkpoint rows and its exact training state. */
import type { CheckpointColumn } from '../metrics/index.ts';

/**
 * One seed's checkpoint: a number for every column of CHECKPOINT_COLUMNS, and the task's own columns after them
 * (TaskModel.checkpointColumns: modular addition's Fourier measures).
 */
export type CheckpointRow = Record<CheckpointColumn, number> & { [taskColumn: string]: number };

export interface SeedCheckpoint {
  seed: number;
  row: CheckpointRow;
  /** Set on the checkpoint where the seed was found diverged; it records no further checkpoints. */
  diverged?: string;
}

export interface TrainingState {
  epoch: number;
  /** Batches of `epoch` already taken (resume mid-epoch exactly). */
  batch: number;
  optimizerStep: number;
  alive: number[];
  divergedAt: (number | null)[];
  params: Record<string, Float32Array>;
  slots: Record<string, Float32Array[]>;
}
