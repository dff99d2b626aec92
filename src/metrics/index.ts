// The CPU reference for the 14 weight metrics of method.md §3, the eigen-solvers behind them, and the sv-every carry.
export { CHECKPOINT_COLUMNS, METRICS_PATH_COLUMN, TRAINING_COLUMNS, type CheckpointColumn } from './columns.ts';
export {
  METRIC_NAMES,
  SINGULAR_VALUE_FLOOR,
  computeWeightMetrics,
  lowerMedian,
  type MetricName,
  type WeightMatrix,
  type WeightMetrics,
  type WeightMetricsOptions,
} from './weightMetrics.ts';
export {
  SINGULAR_VALUE_METRICS,
  carrySingularValues,
  checkSingularValuesEvery,
  singularValuesDue,
  type SingularValueMetric,
} from './singularValueCarry.ts';
export { singularValues, symmetricEigenvalues, type NumericArray } from './singularValues.ts';
