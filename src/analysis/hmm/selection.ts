import { createRng } from '../../numeric/rng.ts';
import { aic, bic, nFreeParameters } from './criteria.ts';
import { ANALYSIS_DEFAULTS } from '../defaults.ts';
import { fitObservations, type FlatFitResult } from './fit.ts';
import { scoreObservations } from './inference.ts';
import type { InitMethod } from './init.ts';
import { subsetObservations } from './observations.ts';
import type { FitWarning, ObservationSet } from './types.ts';

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
}

/** The start a restart uses under an init option. */
export function restartInit(init: SelectionOptions['init'], restart: number): InitMethod | undefined {
  if (init !== 'mixed') return init;
  return restart % 2 === 0 ? 'sticky' : 'hmmlearn';
}

export interface FitJob {
  k: number;
  restart: number;
  seed: number;
}

export interface FitJobResult {
  job: FitJob;
  fit: FlatFitResult | null;
  heldOutLogLikelihood: number;
  error?: string;
}

export interface SelectionRow {
  k: number;
  nParameters: number;
  /** Best held-out log-likelihood over restarts (NaN when skipped or every restart failed). */
  heldOutLogLikelihood: number;
  bic: number;
  aic: number;
  bestRestart: number;
  restarts: { restart: number; seed: number; heldOutLogLikelihood: number; iterations: number; converged: boolean; error?: string }[];
  skipped?: string;
}

export interface ModelSelection {
  /** Indices into the sequences given to the selection. */
  train: number[];
  heldOut: number[];
  nHeldOutObservations: number;
  rows: SelectionRow[];
  chosenK: number;
  chosen: FlatFitResult;
  warnings: FitWarning[];
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

export interface SelectionProgress {
  done: number;
  total: number;
  job: FitJob;
  heldOutLogLikelihood: number;
}

/** Seeded split of run indices, 80/20 by default; a run is never split. */
export function splitRuns(nRuns: number, seed: number, heldOutFraction: number = ANALYSIS_DEFAULTS.heldOutFraction): { train: number[]; heldOut: number[] } {
  if (nRuns < 2) {
    throw new Error(`model selection needs at least 2 runs (some to fit, at least one held out); got ${nRuns}`);
  }
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new Error(`held-out fraction must be in (0, 1), got ${heldOutFraction}`);
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

export function planSelection(obs: ObservationSet, options: SelectionOptions = {}): SelectionPlan {
  const seed = options.seed ?? ANALYSIS_DEFAULTS.seed;
  const restarts = options.restarts ?? ANALYSIS_DEFAULTS.restarts;
  if (!Number.isInteger(restarts) || restarts < 1) throw new Error(`restarts must be a positive integer, got ${restarts}`);
  const { train, heldOut } = splitRuns(obs.lengths.length, seed, options.heldOutFraction);
  const trainObs = subsetObservations(obs, train);
  const heldOutObs = subsetObservations(obs, heldOut);
  let ks: number[];
  if (options.states !== undefined) {
    if (!Number.isInteger(options.states) || options.states < 1) throw new Error(`states must be a positive integer, got ${options.states}`);
    const why = unsupportedReason(options.states, trainObs.nObservations, obs.nFeatures);
    if (why) throw new Error(`the data do not support ${options.states} states: ${why}`);
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
  if (skipped.size === ks.length) throw new Error(`too few checkpoints for any number of states: ${skipped.get(ks[0])}`);
  const jobs: FitJob[] = [];
  for (const k of ks) {
    if (skipped.has(k)) continue;
    for (let r = 0; r < restarts; r++) jobs.push({ k, restart: r, seed: createRng(seed, 'restart', k, r).nextUint32() });
  }
  return { options, train, heldOut, trainObs, heldOutObs, ks, skipped, jobs };
}

/** One restart: fit on the training runs, score the held-out runs. Pure; safe to run in a worker. */
export function runFitJob(trainObs: ObservationSet, heldOutObs: ObservationSet, job: FitJob, options: SelectionOptions): FitJobResult {
  try {
    const fit = fitObservations(trainObs, {
      nStates: job.k,
      seed: job.seed,
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
      covariancePrior: options.covariancePrior,
      init: restartInit(options.init, job.restart),
      kmeansInits: options.kmeansInits,
    });
    const heldOut = scoreObservations(fit.params, heldOutObs).reduce((a, b) => a + b, 0);
    return { job, fit, heldOutLogLikelihood: heldOut };
  } catch (e) {
    return { job, fit: null, heldOutLogLikelihood: NaN, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Keeps each K's best restart by held-out log-likelihood and chooses the K with the lowest BIC. */
export function assembleSelection(plan: SelectionPlan, results: readonly FitJobResult[]): ModelSelection {
  const d = plan.trainObs.nFeatures;
  const nHeld = plan.heldOutObs.nObservations;
  const best = new Map<number, FitJobResult>();
  const rows: SelectionRow[] = plan.ks.map((k) => {
    const mine = results.filter((r) => r.job.k === k).sort((a, b) => a.job.restart - b.job.restart);
    let top: FitJobResult | undefined;
    for (const r of mine) if (Number.isFinite(r.heldOutLogLikelihood) && (!top || r.heldOutLogLikelihood > top.heldOutLogLikelihood)) top = r;
    if (top) best.set(k, top);
    const ll = top ? top.heldOutLogLikelihood : NaN;
    const skipped = plan.skipped.get(k) ?? (mine.length > 0 && !top ? `every restart failed: ${mine[0].error ?? 'non-finite held-out likelihood'}` : undefined);
    return {
      k,
      nParameters: nFreeParameters(k, d),
      heldOutLogLikelihood: ll,
      bic: top ? bic(ll, k, d, nHeld) : NaN,
      aic: top ? aic(ll, k, d) : NaN,
      bestRestart: top ? top.job.restart : -1,
      restarts: mine.map((r) => ({
        restart: r.job.restart,
        seed: r.job.seed,
        heldOutLogLikelihood: r.heldOutLogLikelihood,
        iterations: r.fit?.iterations ?? 0,
        converged: r.fit?.converged ?? false,
        ...(r.error ? { error: r.error } : {}),
      })),
      ...(skipped ? { skipped } : {}),
    };
  });
  const candidates = rows.filter((r) => Number.isFinite(r.bic));
  if (candidates.length === 0) throw new Error(`no model could be fitted: ${rows.map((r) => `K=${r.k}: ${r.skipped}`).join('; ')}`);
  const chosenRow = candidates.reduce((a, b) => (b.bic < a.bic ? b : a));
  const chosen = best.get(chosenRow.k)!.fit!;
  return {
    train: plan.train,
    heldOut: plan.heldOut,
    nHeldOutObservations: nHeld,
    rows,
    chosenK: chosenRow.k,
    chosen,
    warnings: chosen.warnings,
  };
}

/** Model selection in this thread. */
export function selectModel(obs: ObservationSet, options: SelectionOptions = {}, onProgress?: (p: SelectionProgress) => void): ModelSelection {
  const plan = planSelection(obs, options);
  const results = plan.jobs.map((job, i) => {
    const r = runFitJob(plan.trainObs, plan.heldOutObs, job, options);
    onProgress?.({ done: i + 1, total: plan.jobs.length, job, heldOutLogLikelihood: r.heldOutLogLikelihood });
    return r;
  });
  return assembleSelection(plan, results);
}

/** Runs fit jobs somewhere (worker threads, Web Workers); results may arrive in any order. */
export interface FitRunner {
  run(plan: SelectionPlan, onResult: (r: FitJobResult) => void): Promise<FitJobResult[]>;
}

export async function selectModelWith(
  runner: FitRunner,
  obs: ObservationSet,
  options: SelectionOptions = {},
  onProgress?: (p: SelectionProgress) => void,
): Promise<ModelSelection> {
  const plan = planSelection(obs, options);
  let done = 0;
  const results = await runner.run(plan, (r) => {
    done++;
    onProgress?.({ done, total: plan.jobs.length, job: r.job, heldOutLogLikelihood: r.heldOutLogLikelihood });
  });
  return assembleSelection(plan, results);
}
