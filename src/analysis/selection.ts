/**
 * method.md §6 steps 3–6: one restart fitted and scored, the guarded choice of a restart per K, the selection
 * table and the chosen K; and runners for the fits (this thread, or any FitRunner). The plan is selectionPlan.ts.
 */
import { mean } from '../numeric/stats.ts';
import { aic, bic, nFreeParameters } from './hmm/criteria.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { linearOrder, pathEdges } from './map.ts';
import { findDegenerateStates, type DegenerateFinding } from './hmm/degeneracy.ts';
import { fitObservations, type FlatFitResult } from './hmm/fit.ts';
import { decodeObservations, scoreObservations } from './hmm/inference.ts';
import { subsetObservations } from './hmm/observations.ts';
import type { FitWarning, ObservationSet } from './hmm/types.ts';
import { planSelection, restartInit, type FitJob, type SelectionOptions, type SelectionPlan } from './selectionPlan.ts';

export {
  planSelection,
  restartInit,
  restartSeed,
  splitRuns,
  stabilityJobs,
  unsupportedReason,
  type FitJob,
  type SelectionOptions,
  type SelectionPlan,
} from './selectionPlan.ts';

export interface FitJobResult {
  job: FitJob;
  fit: FlatFitResult | null;
  heldOutLogLikelihood: number;
  /** Held-out log-likelihood of each held-out run, in the plan's order (fits are compared run by run). */
  heldOutPerRun: number[];
  /** Degenerate states in the Viterbi paths of every run (training, then held-out) under this fit. */
  degenerate: DegenerateFinding[];
  shape?: 'linear' | 'forking';
  error?: string;
}

/** What the degeneracy guard did for one K. */
export interface RestartGuard {
  /** 'avoided': a clean restart within the tolerance is used instead; 'kept': none was, the degenerate best is used. */
  action: 'avoided' | 'kept';
  /** The restart with the best held-out likelihood, which has degenerate states. */
  degenerateRestart: number;
  findings: DegenerateFinding[];
  usedRestart: number;
  /** The best restart without degenerate states and how far below the best it is (nats per held-out checkpoint). */
  cleanRestart?: number;
  gapPerCheckpoint?: number;
}

export interface SelectionRow {
  k: number;
  nParameters: number;
  /** Held-out log-likelihood of the restart used for this K (NaN when skipped or every restart failed). */
  heldOutLogLikelihood: number;
  bic: number;
  aic: number;
  /** The restart used for this K: the best by held-out likelihood, unless the degeneracy guard chose another. */
  bestRestart: number;
  /** Means over the restarts that succeeded (the authors compare K by these). */
  meanHeldOutLogLikelihood: number;
  meanBic: number;
  meanAic: number;
  guard?: RestartGuard;
  restarts: {
    restart: number;
    seed: number;
    heldOutLogLikelihood: number;
    iterations: number;
    converged: boolean;
    shape?: 'linear' | 'forking';
    degenerate?: DegenerateFinding[];
    error?: string;
  }[];
  skipped?: string;
}

export interface ModelSelection {
  /** Indices into the sequences given to the selection. */
  train: number[];
  heldOut: number[];
  nHeldOutObservations: number;
  rows: SelectionRow[];
  criterion: 'best' | 'mean';
  chosenK: number;
  chosenKByBest: number;
  chosenKByMean: number;
  chosen: FlatFitResult;
  chosenRestart: number;
  warnings: FitWarning[];
  /** Every model-selection fit, and every bootstrap fit, in job order. */
  results: FitJobResult[];
  bootstrap: FitJobResult[];
}

export interface SelectionProgress {
  done: number;
  total: number;
  job: FitJob;
  heldOutLogLikelihood: number;
}

/**
 * One restart: fit on the training runs (or a bootstrap resample of them), score the held-out runs, and
 * decode every run to check the fit for degenerate states. Pure; safe to run in a worker.
 */
export function runFitJob(
  trainObs: ObservationSet,
  heldOutObs: ObservationSet,
  job: FitJob,
  options: SelectionOptions,
): FitJobResult {
  try {
    const data = job.resample ? subsetObservations(trainObs, job.resample) : trainObs;
    const fit = fitObservations(data, {
      nStates: job.k,
      seed: job.seed,
      ...(job.start ? { start: job.start } : {}),
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
      covariancePrior: options.covariancePrior,
      init: restartInit(options.init, job.restart),
      kmeansInits: options.kmeansInits,
      stickyPrior: options.stickyPrior ?? ANALYSIS_DEFAULTS.stickyPrior,
    });
    const perRun = Array.from(scoreObservations(fit.params, heldOutObs));
    const paths = [...decodeObservations(fit.params, trainObs), ...decodeObservations(fit.params, heldOutObs)];
    return {
      job,
      fit,
      heldOutLogLikelihood: perRun.reduce((a, b) => a + b, 0),
      heldOutPerRun: perRun,
      degenerate: findDegenerateStates(fit.params.transmat, paths),
      shape: linearOrder(paths, pathEdges(paths)) ? 'linear' : 'forking',
    };
  } catch (e) {
    return {
      job,
      fit: null,
      heldOutLogLikelihood: NaN,
      heldOutPerRun: [],
      degenerate: [],
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

/**
 * The restart to use among one K's: the best by held-out likelihood (the earlier on a tie), unless it has
 * degenerate states and a clean restart lies within `within` nats per held-out checkpoint of it.
 */
export function pickRestart(
  results: readonly FitJobResult[],
  nHeldOut: number,
  within: number = ANALYSIS_DEFAULTS.comparableWithin,
  avoidDegenerate: boolean = ANALYSIS_DEFAULTS.avoidDegenerate,
): { used?: FitJobResult; guard?: RestartGuard } {
  const ok = results
    .filter((r) => r.fit && Number.isFinite(r.heldOutLogLikelihood))
    .sort((a, b) => a.job.restart - b.job.restart);
  let best: FitJobResult | undefined;
  let clean: FitJobResult | undefined;
  for (const r of ok) {
    if (!best || r.heldOutLogLikelihood > best.heldOutLogLikelihood) best = r;
    if (r.degenerate.length === 0 && (!clean || r.heldOutLogLikelihood > clean.heldOutLogLikelihood)) clean = r;
  }
  if (!best || !avoidDegenerate || best.degenerate.length === 0) return { used: best };
  const gap = clean ? (best.heldOutLogLikelihood - clean.heldOutLogLikelihood) / nHeldOut : undefined;
  const avoided = clean !== undefined && gap! <= within;
  const used = avoided ? clean! : best;
  return {
    used,
    guard: {
      action: avoided ? 'avoided' : 'kept',
      degenerateRestart: best.job.restart,
      findings: best.degenerate,
      usedRestart: used.job.restart,
      ...(clean ? { cleanRestart: clean.job.restart, gapPerCheckpoint: gap } : {}),
    },
  };
}

/** The K with the lowest value (the smaller K on a tie), or undefined when none is finite. */
export function argminK<R extends { k: number }>(rows: readonly R[], value: (row: R) => number): number | undefined {
  let top: { k: number; v: number } | undefined;
  for (const row of rows) {
    const v = value(row);
    if (Number.isFinite(v) && (!top || v < top.v)) top = { k: row.k, v };
  }
  return top?.k;
}

/** Builds the table, keeps each K's restart (guarded) and chooses K by the criterion; both criteria's choices are recorded. */
export function assembleSelection(plan: SelectionPlan, results: readonly FitJobResult[]): ModelSelection {
  const d = plan.trainObs.nFeatures;
  const nHeld = plan.heldOutObs.nObservations;
  const o = plan.options;
  const criterion = o.criterion ?? ANALYSIS_DEFAULTS.criterion;
  // In job order, whatever order the runner returned them in: the same selection from any runner.
  const ordered = [...results].sort(
    (a, b) => a.job.k - b.job.k || a.job.restart - b.job.restart || (a.job.replicate ?? 0) - (b.job.replicate ?? 0),
  );
  const selectionResults = ordered.filter((r) => r.job.stage !== 'bootstrap');
  const used = new Map<number, FitJobResult>();
  const rows: SelectionRow[] = plan.ks.map((k) => {
    const mine = selectionResults.filter((r) => r.job.k === k).sort((a, b) => a.job.restart - b.job.restart);
    const { used: top, guard } = pickRestart(mine, nHeld, o.comparableWithin, o.avoidDegenerate);
    if (top) used.set(k, top);
    const ll = top ? top.heldOutLogLikelihood : NaN;
    const finite = mine.filter((r) => Number.isFinite(r.heldOutLogLikelihood)).map((r) => r.heldOutLogLikelihood);
    const skipped =
      plan.skipped.get(k) ??
      (mine.length > 0 && !top
        ? `every restart failed: ${mine[0].error ?? 'non-finite held-out likelihood'}`
        : undefined);
    return {
      k,
      nParameters: nFreeParameters(k, d),
      heldOutLogLikelihood: ll,
      bic: top ? bic(ll, k, d, nHeld) : NaN,
      aic: top ? aic(ll, k, d) : NaN,
      bestRestart: top ? top.job.restart : -1,
      meanHeldOutLogLikelihood: mean(finite),
      meanBic: mean(finite.map((v) => bic(v, k, d, nHeld))),
      meanAic: mean(finite.map((v) => aic(v, k, d))),
      ...(guard ? { guard } : {}),
      restarts: mine.map((r) => ({
        restart: r.job.restart,
        seed: r.job.seed,
        heldOutLogLikelihood: r.heldOutLogLikelihood,
        iterations: r.fit?.iterations ?? 0,
        converged: r.fit?.converged ?? false,
        ...(r.shape ? { shape: r.shape } : {}),
        ...(r.degenerate.length ? { degenerate: r.degenerate } : {}),
        ...(r.error ? { error: r.error } : {}),
      })),
      ...(skipped ? { skipped } : {}),
    };
  });
  const byBest = argminK(rows, (r) => r.bic);
  const byMean = argminK(rows, (r) => r.meanBic);
  if (byBest === undefined || byMean === undefined)
    throw new Error(`no model could be fitted: ${rows.map((r) => `K=${r.k}: ${r.skipped}`).join('; ')}`);
  const chosenK = criterion === 'mean' ? byMean : byBest;
  const top = used.get(chosenK)!;
  return {
    train: plan.train,
    heldOut: plan.heldOut,
    nHeldOutObservations: nHeld,
    rows,
    criterion,
    chosenK,
    chosenKByBest: byBest,
    chosenKByMean: byMean,
    chosen: top.fit!,
    chosenRestart: top.job.restart,
    warnings: top.fit!.warnings,
    results: selectionResults,
    bootstrap: ordered.filter((r) => r.job.stage === 'bootstrap'),
  };
}

/** Runs jobs in this thread, reporting each as it finishes. */
export function runJobsHere(
  plan: SelectionPlan,
  jobs: readonly FitJob[],
  onResult?: (r: FitJobResult, done: number) => void,
): FitJobResult[] {
  return jobs.map((job, i) => {
    const r = runFitJob(plan.trainObs, plan.heldOutObs, job, plan.options);
    onResult?.(r, i + 1);
    return r;
  });
}

/** Model selection in this thread. */
export function selectModel(
  obs: ObservationSet,
  options: SelectionOptions = {},
  onProgress?: (p: SelectionProgress) => void,
): ModelSelection {
  const plan = planSelection(obs, options);
  const results = runJobsHere(plan, plan.jobs, (r, done) =>
    onProgress?.({ done, total: plan.jobs.length, job: r.job, heldOutLogLikelihood: r.heldOutLogLikelihood }),
  );
  return assembleSelection(plan, results);
}

/**
 * Runs fit jobs somewhere (worker threads, Web Workers); results may arrive in any order. `run` fits the
 * plan's jobs; it may be called again with the same plan and other jobs. `close` releases the workers.
 */
export interface FitRunner {
  run(plan: SelectionPlan, onResult: (r: FitJobResult) => void): Promise<FitJobResult[]>;
  close?(): void;
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
