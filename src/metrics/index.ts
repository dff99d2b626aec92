// The CPU reference for the 14 weight metrics of SPEC §2 and the eigen-solvers behind them.
export { CHECKPOINT_COLUMNS, METRICS_PATH_COLUMN, TRAINING_COLUMNS } from './columns.ts';
export {
  METRIC_NAMES,
  SINGULAR_VALUE_FLOOR,
  computeWeightMetrics,
  lowerMedian,
  type MetricName,
  type WeightMatrix,
  type WeightMetrics,
} from './weightMetrics.ts';
export { singularValues, symmetricEigenvalues, type NumericArray } from './singularValues.ts';
