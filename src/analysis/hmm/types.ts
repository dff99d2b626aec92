/** Parameters of a Gaussian HMM with full covariances, as plain nested arrays (JSON-friendly). */
export interface HMMParams {
  startprob: number[];
  transmat: number[][];
  means: number[][];
  covars: number[][][];
}

/** The same parameters flat and row-major, for the inner loops. */
export interface FlatParams {
  nStates: number;
  nFeatures: number;
  startprob: Float64Array; // K
  transmat: Float64Array; // K×K
  means: Float64Array; // K×D
  covars: Float64Array; // K×D×D
}

/** Many sequences of D-dimensional observations packed into one flat array. */
export interface ObservationSet {
  data: Float64Array; // N×D, sequences one after another
  lengths: Int32Array;
  offsets: Int32Array; // start row of each sequence
  nFeatures: number;
  nObservations: number;
}

/** Something the fit repaired instead of crashing on; surfaced in reports. */
export interface FitWarning {
  iteration: number;
  kind: 'empty-state' | 'singular-covariance' | 'non-finite-likelihood';
  state?: number;
  message: string;
}
