import { createRng } from '../../numeric/rng.ts';
import { EStepWorkspace, emptyStats, expectationStep } from './estep.ts';
import { factorGaussians } from './gaussian.ts';
import { HMM_DEFAULTS } from './defaults.ts';
import { initialParams, type InitMethod } from './init.ts';
import { maximizationStep } from './mstep.ts';
import { packSequences } from './observations.ts';
import { fromFlat, toFlat, validateParams } from './params.ts';
import type { FitWarning, FlatParams, HMMParams, ObservationSet } from './types.ts';

export interface FitOptions {
  nStates: number;
  /** Start from these parameters instead of the seeded initialization. */
  start?: HMMParams;
  /** Default 32, the authors' setting. */
  maxIterations?: number;
  /** Stop when the log-likelihood gains less than this; -Infinity runs exactly maxIterations. Default 0.01. */
  tolerance?: number;
  /** Added to every covariance entry in the M-step (hmmlearn's covars_prior). Default 0.01. */
  covariancePrior?: number;
  seed?: number;
  init?: InitMethod;
  /** k-means initializations per fit (best inertia kept). Default 2. */
  kmeansInits?: number;
  /**
   * Pseudo-counts on every self-transition (a sticky Dirichlet prior on the rows, MAP-EM). Default 0:
   * plain EM, as hmmlearn; the analysis passes its own default (HMM_DEFAULTS.stickyPrior).
   */
  stickyPrior?: number;
}

export interface FitResult {
  params: HMMParams;
  /**
   * Log-likelihood of the data under the parameters each iteration started from (hmmlearn's monitor history);
   * with a sticky prior, plus the log prior κ·Σ log A_ii, the objective MAP-EM increases.
   */
  logLikelihoodHistory: number[];
  converged: boolean;
  iterations: number;
  warnings: FitWarning[];
}

export interface FlatFitResult extends Omit<FitResult, 'params'> {
  params: FlatParams;
}

/** Baum–Welch for a Gaussian HMM with full covariances over many sequences of different lengths. */
export function fitGaussianHMM(sequences: number[][][], options: FitOptions): FitResult {
  const r = fitObservations(packSequences(sequences), options);
  return { ...r, params: fromFlat(r.params) };
}

export function fitObservations(obs: ObservationSet, options: FitOptions): FlatFitResult {
  const k = options.nStates;
  if (!Number.isInteger(k) || k < 1) throw new Error(`nStates must be a positive integer, got ${k}`);
  if (k > obs.nObservations) {
    throw new Error(`cannot fit ${k} states to ${obs.nObservations} checkpoints: every state needs at least one`);
  }
  const maxIterations = options.maxIterations ?? HMM_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? HMM_DEFAULTS.tolerance;
  const prior = options.covariancePrior ?? HMM_DEFAULTS.covariancePrior;
  const sticky = options.stickyPrior ?? 0;
  if (!(sticky >= 0 && Number.isFinite(sticky)))
    throw new Error(`stickyPrior must be a finite number ≥ 0, got ${sticky}`);
  let params: FlatParams;
  if (options.start) {
    validateParams(options.start, obs.nFeatures);
    if (options.start.startprob.length !== k)
      throw new Error(`start has ${options.start.startprob.length} states, nStates is ${k}`);
    params = toFlat(options.start);
  } else {
    const rng = createRng(options.seed ?? HMM_DEFAULTS.seed, 'hmm-init', k);
    params = initialParams(
      obs,
      k,
      rng,
      options.init ?? HMM_DEFAULTS.init,
      options.kmeansInits ?? HMM_DEFAULTS.kmeansInits,
    );
  }
  const ws = new EStepWorkspace(obs, k);
  const history: number[] = [];
  const warnings: FitWarning[] = [];
  let converged = false;
  let iterations = 0;
  for (let it = 0; it < maxIterations; it++) {
    const factors = factorGaussians(k, obs.nFeatures, params.means, params.covars);
    recordRidges(factors.ridge, params, it, warnings);
    const stats = emptyStats(k, obs.nFeatures);
    expectationStep(obs, params, ws, stats, factors);
    if (!Number.isFinite(stats.logLikelihood)) {
      warnings.push({
        iteration: it,
        kind: 'non-finite-likelihood',
        message: `log-likelihood became ${stats.logLikelihood} in iteration ${it}; stopped and kept the previous parameters`,
      });
      break;
    }
    const objective = sticky > 0 ? stats.logLikelihood + logStickyPrior(params, sticky) : stats.logLikelihood;
    params = maximizationStep(params, stats, prior, obs, it, warnings, sticky);
    history.push(objective);
    iterations = it + 1;
    const n = history.length;
    if (n >= 2 && history[n - 1] - history[n - 2] < tolerance) {
      converged = true;
      break;
    }
  }
  // Leave the returned covariances positive definite, so precisions and densities exist downstream.
  recordRidges(factorGaussians(k, obs.nFeatures, params.means, params.covars).ridge, params, iterations, warnings);
  return { params, logLikelihoodHistory: history, converged, iterations, warnings };
}

/** log p(A) up to a constant under the sticky Dirichlet prior: κ·Σ_i log A_ii. */
function logStickyPrior(params: FlatParams, sticky: number): number {
  const k = params.nStates;
  let s = 0;
  // Floored so a zero self-transition drawn at the start cannot make the objective −∞.
  for (let i = 0; i < k; i++) s += Math.log(Math.max(params.transmat[i * k + i], 1e-300));
  return sticky * s;
}

/** Folds a ridge the factorization needed into the stored covariance, and says so. */
function recordRidges(ridge: Float64Array, params: FlatParams, iteration: number, warnings: FitWarning[]): void {
  const d = params.nFeatures;
  ridge.forEach((r, state) => {
    if (r === 0) return;
    for (let a = 0; a < d; a++) params.covars[state * d * d + a * d + a] += r;
    warnings.push({
      iteration,
      kind: 'singular-covariance',
      state,
      message: `covariance of state ${state} was not positive definite (or nearly singular) in iteration ${iteration}; added ${r.toExponential(0)}·I`,
    });
  });
}
