/**
 * method.md §6 steps 1–3 as plain data: the seeded split of runs, the Ks the data support, and one seeded fit job
 * per restart (plus the stability restarts of §13.1), so that any runner can fit them.
 */
import { createRng } from '../numeric/rng.ts';
import { AnalysisInputError } from './analysisInputError.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import type { InitMethod } from './hmm/init.ts';
import { subsetObservations } from './hmm/observations.ts';
import type { HMMParams, ObservationSet } from './hmm/types.ts';

export interface SelectionOptions {
  /** Fit exactly this many states instead of sweeping kMin..kMax. */
  states?: number;
  kMin?: number;
  kMax?: number;
  restarts?: number;
  seed?: number;
  maxIterations?: number;
  tolerance?: number;
  covariancePrior?: number;
  heldOutFraction?: number;
  /** 'mixed': restarts alternate sticky and hmmlearn starts; the held-out likelihood picks the winner. */
  init?: InitMethod | 'mixed';
  kmeansInits?: number;
  /** How each K is scored from its restarts: the best one's BIC, or the mean BIC over them (the authors'). */
  criterion?: 'best' | 'mean';
  /** Nats per held-out checkpoint within which a fit counts as comparable to the best. */
  comparableWithin?: number;
  /** Prefer the best fit without degenerate states when it is comparable to the best. */
  avoidDegenerate?: boolean;
  /** Pseudo-counts on every self-transition in the M-step (sticky Dirichlet prior). */
  stickyPrior?: number;
  /** Bootstrap replicates over the training runs, each refitting every K. */
  bootstrap?: number;
  /** Restarts at the chosen K for the stability report (the selection's restarts at that K included). */
  stabilityRestarts?: number;
}

/** The start a restart uses under an init option. */
export function restartInit(init: SelectionOptions['init'], restart: number): InitMethod | undefined {
  if (init !== 'mixed') return init;
  return restart % 2 === 0 ? 'sticky' : 'hmmlearn';
}

/** One EM fit to run somewhere (this thread, a worker thread, a Web Worker): plain data only. */
export interface FitJob {
  k: number;
  restart: number;
  seed: number;
  /** The pass it belongs to: model selection (default), more restarts at the chosen K, or a bootstrap replicate. */
  stage?: 'select' | 'stability' | 'bootstrap';
  replicate?: number;
  /** For a bootstrap replicate: the training runs to fit on, as indices into the plan's training runs, with repeats. */
  resample?: number[];
  /** EM from these parameters instead of a seeded start (the live lab's warm refit). */
  start?: HMMParams;
}

export interface SelectionPlan {
  options: SelectionOptions;
  train: number[];
  heldOut: number[];
  trainObs: ObservationSet;
  heldOutObs: ObservationSet;
  ks: number[];
  skipped: Map<number, string>;
  jobs: FitJob[];
}

/** Seeded split of run indices, 80/20 by default; a run is never split. */
export function splitRuns(
  nRuns: number,
  seed: number,
  heldOutFraction: number = ANALYSIS_DEFAULTS.heldOutFraction,
): { train: number[]; heldOut: number[] } {
  if (nRuns < 2) {
    throw new AnalysisInputError(
      `model selection needs at least 2 runs (some to fit, at least one held out); got ${nRuns}`,
      { kind: 'too-few-runs', usable: nRuns, runs: nRuns, needed: 2 },
    );
  }
  if (!(heldOutFraction > 0 && heldOutFraction < 1))
    throw new Error(`held-out fraction must be in (0, 1), got ${heldOutFraction}`);
  const order = Array.from({ length: nRuns }, (_, i) => i);
  createRng(seed, 'split').shuffle(order);
  const nHeld = Math.min(nRuns - 1, Math.max(1, Math.round(heldOutFraction * nRuns)));
  return { heldOut: order.slice(0, nHeld).sort((a, b) => a - b), train: order.slice(nHeld).sort((a, b) => a - b) };
}

/** Why K states cannot be fitted to this many checkpoints, or null when they can. */
export function unsupportedReason(k: number, nTrain: number, d: number): string | null {
  const need = k * (d + 1);
  if (nTrain < need) {
    return `K=${k} needs at least ${need} training checkpoints (D+1 per state for a full covariance); the training runs have ${nTrain}`;
  }
  return null;
}

/** The seed of restart r for K states; the same in every pass, so restart r is the same fit wherever it runs. */
export function restartSeed(seed: number, k: number, restart: number): number {
  return createRng(seed, 'restart', k, restart).nextUint32();
}

export function planSelection(obs: ObservationSet, options: SelectionOptions = {}): SelectionPlan {
  const seed = options.seed ?? ANALYSIS_DEFAULTS.seed;
  const restarts = options.restarts ?? ANALYSIS_DEFAULTS.restarts;
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new Error(`restarts must be a positive integer, got ${restarts}`);
  const replicates = options.bootstrap ?? ANALYSIS_DEFAULTS.bootstrap;
  if (!Number.isInteger(replicates) || replicates < 0)
    throw new Error(`bootstrap must be a whole number ≥ 0, got ${replicates}`);
  const { train, heldOut } = splitRuns(obs.lengths.length, seed, options.heldOutFraction);
  const trainObs = subsetObservations(obs, train);
  const heldOutObs = subsetObservations(obs, heldOut);
  let ks: number[];
  if (options.states !== undefined) {
    if (!Number.isInteger(options.states) || options.states < 1)
      throw new Error(`states must be a positive integer, got ${options.states}`);
    const why = unsupportedReason(options.states, trainObs.nObservations, obs.nFeatures);
    if (why)
      throw new AnalysisInputError(`the data do not support ${options.states} states: ${why}`, {
        kind: 'too-few-checkpoints',
        checkpoints: trainObs.nObservations,
        needed: options.states * (obs.nFeatures + 1),
        runs: obs.lengths.length,
        features: obs.nFeatures,
      });
    ks = [options.states];
  } else {
    const kMin = options.kMin ?? ANALYSIS_DEFAULTS.kMin;
    const kMax = options.kMax ?? ANALYSIS_DEFAULTS.kMax;
    if (!(Number.isInteger(kMin) && Number.isInteger(kMax) && kMin >= 1 && kMax >= kMin)) {
      throw new Error(`state range must satisfy 1 <= kMin <= kMax, got ${kMin}..${kMax}`);
    }
    ks = Array.from({ length: kMax - kMin + 1 }, (_, i) => kMin + i);
  }
  const skipped = new Map<number, string>();
  for (const k of ks) {
    const why = unsupportedReason(k, trainObs.nObservations, obs.nFeatures);
    if (why) skipped.set(k, why);
  }
  if (skipped.size === ks.length)
    throw new AnalysisInputError(
      `too little data for a map: ${obs.lengths.length} runs of ${obs.nObservations} checkpoints in all; ${skipped.get(ks[0])}; add runs or longer runs, or choose fewer features`,
      {
        kind: 'too-few-checkpoints',
        checkpoints: trainObs.nObservations,
        needed: ks[0] * (obs.nFeatures + 1),
        runs: obs.lengths.length,
        features: obs.nFeatures,
      },
    );
  const fitted = ks.filter((k) => !skipped.has(k));
  const jobs: FitJob[] = [];
  for (const k of fitted) {
    for (let r = 0; r < restarts; r++) jobs.push({ k, restart: r, seed: restartSeed(seed, k, r) });
  }
  // Replicates only make sense when K is chosen; each resamples the training runs once for every K.
  if (fitted.length > 1) {
    for (let b = 0; b < replicates; b++) {
      const rng = createRng(seed, 'bootstrap', b);
      const resample = train.map(() => Math.floor(rng.next() * train.length));
      for (const k of fitted) {
        for (let r = 0; r < restarts; r++) {
          jobs.push({
            k,
            restart: r,
            seed: createRng(seed, 'bootstrap-restart', b, k, r).nextUint32(),
            stage: 'bootstrap',
            replicate: b,
            resample,
          });
        }
      }
    }
  }
  return { options, train, heldOut, trainObs, heldOutObs, ks, skipped, jobs };
}

/** More restarts at one K for the stability report, numbered after the selection's so none is fitted twice. */
export function stabilityJobs(plan: SelectionPlan, k: number): FitJob[] {
  const seed = plan.options.seed ?? ANALYSIS_DEFAULTS.seed;
  const from = plan.options.restarts ?? ANALYSIS_DEFAULTS.restarts;
  const to = plan.options.stabilityRestarts ?? ANALYSIS_DEFAULTS.stabilityRestarts;
  const jobs: FitJob[] = [];
  for (let r = from; r < to; r++) jobs.push({ k, restart: r, seed: restartSeed(seed, k, r), stage: 'stability' });
  return jobs;
}
