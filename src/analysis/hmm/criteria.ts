/** Free parameters of a full-covariance Gaussian HMM: (K−1) + K(K−1) + K·D + K·D(D+1)/2. */
export function nFreeParameters(nStates: number, nFeatures: number): number {
  const k = nStates;
  const d = nFeatures;
  return k - 1 + k * (k - 1) + k * d + (k * d * (d + 1)) / 2;
}

/** BIC = −2·LL + p·ln N, N the number of observations (checkpoints) scored. */
export function bic(logLikelihood: number, nStates: number, nFeatures: number, nObservations: number): number {
  return -2 * logLikelihood + nFreeParameters(nStates, nFeatures) * Math.log(nObservations);
}

/** AIC = −2·LL + 2p. */
export function aic(logLikelihood: number, nStates: number, nFeatures: number): number {
  return -2 * logLikelihood + 2 * nFreeParameters(nStates, nFeatures);
}
