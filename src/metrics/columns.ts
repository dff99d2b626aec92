/**
 * The columns every checkpoint row holds: the step, what training measured (epoch, losses, accuracies) and the
 * 14 weight metrics of method.md §3 (the default HMM features). Readers, writers, the trainer and the analysis all
 * name columns from here.
 */

export const METRIC_NAMES = [
  'l1',
  'l2',
  'l1_over_l2',
  'weight_mean',
  'weight_median',
  'weight_var',
  'bias_mean',
  'bias_median',
  'bias_var',
  'trace',
  'spectral',
  'trace_over_spectral',
  'sv_mean',
  'sv_var',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** Measured by training at every checkpoint, besides the weight metrics. */
export const TRAINING_COLUMNS = ['epoch', 'train_loss', 'train_acc', 'eval_loss', 'eval_acc'] as const;

/** Which path computed a row's weight metrics: 1 the GPU kernels (kernels/), 0 the CPU reference. A number, so CSV holds it. */
export const METRICS_PATH_COLUMN = 'metrics_gpu';

/** A training run's checkpoint row, in the order bundles write it. */
export const CHECKPOINT_COLUMNS = ['step', ...TRAINING_COLUMNS, ...METRIC_NAMES, METRICS_PATH_COLUMN] as const;
export type CheckpointColumn = (typeof CHECKPOINT_COLUMNS)[number];
