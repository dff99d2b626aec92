import { DEFAULT_FEATURES, type RunBundle } from '../io/runBundle.ts';
import { bagOfStatesRegression, detourStates, type BagOfStatesRegression } from './bagOfStates.ts';
import { convergenceTimes } from './convergence.ts';
import { labelFreeDissimilarity, occupancy, trajectoryDissimilarity } from './dissimilarity.ts';
import { decodeObservations } from './hmm/inference.ts';
import { DEFAULT_INIT } from './hmm/init.ts';
import { matchStates, permuteParams, permutePath } from './hmm/matching.ts';
import { packSequences } from './hmm/observations.ts';
import { fromFlat } from './hmm/params.ts';
import {
  selectModel,
  selectModelWith,
  type FitRunner,
  type ModelSelection,
  type SelectionOptions,
  type SelectionProgress,
  type SelectionRow,
} from './hmm/selection.ts';
import type { HMMParams } from './hmm/types.ts';
import { buildTrainingMap, type TrainingMap } from './map.ts';
import { NORMALIZATION_WINDOW, zScoreRun } from './normalize.ts';

export const ANALYSIS_FORMAT = 'trainmap.analysis/1';

export interface AnalyzeOptions extends SelectionOptions {
  /** HMM features (columns); default the 14 weight metrics. */
  features?: string[];
  /** Eval accuracy above which a run counts as converged. Default 0.9. */
  threshold?: number;
  accuracyColumn?: string;
  /** A previous fit whose state numbering should be kept (matched by means). */
  previous?: { params: HMMParams; features: string[] };
  onProgress?: (p: AnalysisProgress) => void;
}

export type AnalysisProgress = { phase: 'prepare' | 'decode' | 'map' } | ({ phase: 'select' } & SelectionProgress);

export interface RunSummary {
  key: string;
  group: string;
  id: string;
  seed: number | null;
  checkpoints: number;
  included: boolean;
  excludedReason?: string;
  role?: 'train' | 'held-out';
  convergence?: { checkpoint: number; step: number | null; converged: boolean };
  path?: number[];
  occupancy?: number[];
}

export interface AnalysisReport {
  format: typeof ANALYSIS_FORMAT;
  settings: Required<
    Pick<AnalyzeOptions, 'threshold' | 'accuracyColumn' | 'restarts' | 'seed' | 'maxIterations' | 'tolerance' | 'covariancePrior' | 'heldOutFraction'>
  > & {
    states: number | 'auto';
    kMin: number;
    kMax: number;
    init: string;
  };
  /** Features the HMM used, in column order of the means and covariances. */
  features: string[];
  droppedFeatures: { feature: string; reason: string }[];
  runs: RunSummary[];
  normalization: { window: number; runs: { key: string; mean: number[]; std: number[] }[] };
  selection: { criterion: 'bic'; chosenK: number; rows: SelectionRow[]; nHeldOutObservations: number };
  model: { params: HMMParams; logLikelihoodHistory: number[]; converged: boolean; iterations: number };
  map: TrainingMap;
  regression: BagOfStatesRegression | { skipped: string };
  detours: number[];
  dissimilarity: { stateIndex: number; labelFree: number };
  warnings: string[];
}

interface PreparedRuns {
  features: string[];
  droppedFeatures: { feature: string; reason: string }[];
  runs: RunSummary[];
  included: number[];
  z: number[][][];
  normalization: AnalysisReport['normalization'];
  accuracy: (number[] | undefined)[];
  steps: number[][];
  warnings: string[];
}

function prepareRuns(bundle: RunBundle, options: AnalyzeOptions): PreparedRuns {
  const requested = options.features ?? [...DEFAULT_FEATURES];
  if (requested.length === 0) throw new Error('no features chosen');
  const all = bundle.groups.flatMap((g) => g.runs.map((run) => ({ group: g.name, run })));
  if (all.length === 0) throw new Error('the bundle holds no runs');
  const columns = new Set(all.flatMap(({ run }) => Object.keys(run.checkpoints)));
  const unknown = requested.filter((f) => !columns.has(f));
  if (unknown.length > 0) {
    throw new Error(
      `unknown feature${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `'${f}'`).join(', ')}; columns in the bundle: ${[...columns].join(', ')}`,
    );
  }
  const multi = bundle.groups.length > 1;
  const warnings: string[] = [];
  const runs: RunSummary[] = all.map(({ group, run }) => ({
    key: multi ? `${group}/${run.id}` : run.id,
    group,
    id: run.id,
    seed: run.seed ?? null,
    checkpoints: run.checkpoints.step.length,
    included: true,
  }));
  const exclude = (i: number, reason: string) => {
    runs[i].included = false;
    runs[i].excludedReason = reason;
    warnings.push(`run ${runs[i].key} excluded: ${reason}`);
  };
  all.forEach(({ run }, i) => {
    const missing = requested.filter((f) => !(f in run.checkpoints));
    if (run.diverged) return exclude(i, `diverged at step ${run.diverged.step} (${run.diverged.reason})`);
    if (missing.length > 0) return exclude(i, `no column ${missing.join(', ')}`);
    if (run.checkpoints.step.length < 2) return exclude(i, `only ${run.checkpoints.step.length} checkpoint; a sequence needs at least 2`);
    // Any non-finite metric excludes the run (SPEC §4), also one not chosen as a feature.
    for (const f of [...requested, ...DEFAULT_FEATURES.filter((m) => m in run.checkpoints && !requested.includes(m))]) {
      const t = run.checkpoints[f].findIndex((v) => !Number.isFinite(v));
      if (t >= 0) return exclude(i, `diverged or missing data: ${f} is ${run.checkpoints[f][t]} at step ${run.checkpoints.step[t]}`);
    }
  });
  const included = runs.flatMap((r, i) => (r.included ? [i] : []));
  if (included.length < 2) {
    throw new Error(
      `too few runs to analyze: ${included.length} usable of ${runs.length} (the held-out split needs at least 2)${warnings.length ? '; ' + warnings.join('; ') : ''}`,
    );
  }
  if (options.previous && options.previous.features.join() !== requested.join()) {
    warnings.push(`the previous analysis used other features (${options.previous.features.join(', ')}); its state numbering cannot be kept`);
  }
  const accuracyColumn = options.accuracyColumn ?? 'eval_acc';
  for (const i of included) {
    const acc = all[i].run.checkpoints[accuracyColumn];
    const bad = acc ? acc.filter((v) => !Number.isFinite(v)).length : 0;
    if (bad > 0)
      warnings.push(`run ${runs[i].key}: ${accuracyColumn} is missing or non-finite at ${bad} checkpoint${bad > 1 ? 's' : ''}; they count as not converged`);
  }
  const normalized = included.map((i) => {
    const cp = all[i].run.checkpoints;
    return zScoreRun(cp.step.map((_, t) => requested.map((f) => cp[f][t])));
  });
  // A feature constant within every run carries nothing: drop it rather than feed the HMM a zero column.
  const droppedFeatures: PreparedRuns['droppedFeatures'] = [];
  const keep: number[] = [];
  requested.forEach((f, j) => {
    const constantIn = normalized.filter((n) => n.constant[j]).length;
    if (constantIn === normalized.length) droppedFeatures.push({ feature: f, reason: 'constant within every run' });
    else {
      keep.push(j);
      if (constantIn > 0) warnings.push(`${f} is constant within ${constantIn} of ${normalized.length} runs; set to 0 there after normalization`);
    }
  });
  if (keep.length === 0) throw new Error(`every feature is constant within every run (${requested.join(', ')}); nothing to model`);
  for (const d of droppedFeatures) warnings.push(`feature ${d.feature} dropped: ${d.reason}`);
  return {
    features: keep.map((j) => requested[j]),
    droppedFeatures,
    runs,
    included,
    z: normalized.map((n) => n.z.map((row) => keep.map((j) => row[j]))),
    normalization: {
      window: NORMALIZATION_WINDOW,
      runs: included.map((i, r) => ({ key: runs[i].key, mean: keep.map((j) => normalized[r].mean[j]), std: keep.map((j) => normalized[r].std[j]) })),
    },
    accuracy: included.map((i) => all[i].run.checkpoints[accuracyColumn]),
    steps: included.map((i) => all[i].run.checkpoints.step),
    warnings,
  };
}

function finishAnalysis(prep: PreparedRuns, selection: ModelSelection, options: AnalyzeOptions, obs: ReturnType<typeof packSequences>): AnalysisReport {
  options.onProgress?.({ phase: 'decode' });
  const fitted = fromFlat(selection.chosen.params);
  const rawPaths = decodeObservations(selection.chosen.params, obs);
  const order = stateOrder(fitted, rawPaths, prep.features, options.previous);
  const params = permuteParams(fitted, order);
  const paths = rawPaths.map((p) => permutePath(p, order));
  const k = params.startprob.length;
  const threshold = options.threshold ?? 0.9;
  const accuracyColumn = options.accuracyColumn ?? 'eval_acc';
  const warnings = [...prep.warnings, ...selection.warnings.map((w) => `fit: ${w.message}`)];
  const trainSet = new Set(selection.train);
  if (selection.heldOut.length < 4) {
    warnings.push(
      `only ${prep.included.length} runs (${selection.heldOut.length} held out): model selection is unreliable with so few held-out runs and tends to choose few states; the paper used 40 runs`,
    );
  }
  let regression: AnalysisReport['regression'];
  let convergence: number[] | undefined;
  let detours: number[] = [];
  const missingAcc = prep.accuracy.findIndex((a) => a === undefined);
  if (missingAcc >= 0) {
    regression = { skipped: `no '${accuracyColumn}' column in run ${prep.runs[prep.included[missingAcc]].key}: convergence time and the regression need it` };
  } else {
    const conv = convergenceTimes(prep.accuracy as number[][], threshold);
    convergence = conv.map((c) => c.checkpoint);
    prep.included.forEach((i, r) => {
      prep.runs[i].convergence = { ...conv[r], step: conv[r].converged ? prep.steps[r][conv[r].checkpoint] : null };
    });
    const never = conv.filter((c) => !c.converged).length;
    if (never > 0)
      warnings.push(`${never} run${never > 1 ? 's' : ''} never reached ${accuracyColumn} > ${threshold}; counted as converging at the longest run's length`);
    const reg = bagOfStatesRegression(paths, k, convergence);
    regression = reg;
    if (reg.note) warnings.push(`regression: ${reg.note}`);
    detours = detourStates(
      reg.coefficients,
      paths,
      conv.map((c) => c.converged),
    );
  }
  prep.included.forEach((i, r) => {
    prep.runs[i].role = trainSet.has(r) ? 'train' : 'held-out';
    prep.runs[i].path = paths[r];
    prep.runs[i].occupancy = occupancy(paths[r], k);
  });
  options.onProgress?.({ phase: 'map' });
  const map = buildTrainingMap(params, paths, prep.features, convergence);
  const occ = paths.map((p) => occupancy(p, k));
  return {
    format: ANALYSIS_FORMAT,
    settings: {
      threshold,
      accuracyColumn,
      restarts: options.restarts ?? 5,
      seed: options.seed ?? 0,
      maxIterations: options.maxIterations ?? 32,
      tolerance: options.tolerance ?? 0.01,
      covariancePrior: options.covariancePrior ?? 0.01,
      heldOutFraction: options.heldOutFraction ?? 0.2,
      states: options.states ?? 'auto',
      kMin: options.kMin ?? 1,
      kMax: options.kMax ?? 8,
      init: options.init ?? DEFAULT_INIT,
    },
    features: prep.features,
    droppedFeatures: prep.droppedFeatures,
    runs: prep.runs,
    normalization: prep.normalization,
    selection: { criterion: 'bic', chosenK: selection.chosenK, rows: selection.rows, nHeldOutObservations: selection.nHeldOutObservations },
    model: {
      params,
      logLikelihoodHistory: selection.chosen.logLikelihoodHistory,
      converged: selection.chosen.converged,
      iterations: selection.chosen.iterations,
    },
    map,
    regression,
    detours,
    dissimilarity: { stateIndex: trajectoryDissimilarity(occ), labelFree: labelFreeDissimilarity(occ, params.means) },
    warnings,
  };
}

/**
 * New state numbering: matched to a previous fit when one is given (so colours and positions stay put),
 * otherwise by mean first-visit checkpoint, so state 0 is where training starts.
 */
function stateOrder(params: HMMParams, paths: Int32Array[], features: string[], previous?: AnalyzeOptions['previous']): number[] {
  const k = params.startprob.length;
  if (previous && previous.features.join() === features.join()) return matchStates(previous.params, params);
  const first = Array.from({ length: k }, (_, s) => {
    const visits = paths.map((p) => p.indexOf(s) / p.length).filter((v) => v >= 0);
    return visits.length ? visits.reduce((a, b) => a + b, 0) / visits.length : Infinity;
  });
  return Array.from({ length: k }, (_, s) => s).sort((a, b) => first[a] - first[b] || a - b);
}

function selectionOptions(options: AnalyzeOptions): SelectionOptions {
  const { features: _f, threshold: _t, accuracyColumn: _a, previous: _p, onProgress: _o, ...rest } = options;
  return rest;
}

/** The whole pipeline of SPEC §4–§10 in this thread. */
export function analyzeRuns(bundle: RunBundle, options: AnalyzeOptions = {}): AnalysisReport {
  options.onProgress?.({ phase: 'prepare' });
  const prep = prepareRuns(bundle, options);
  const obs = packSequences(prep.z);
  const selection = selectModel(obs, selectionOptions(options), (p) => options.onProgress?.({ phase: 'select', ...p }));
  return finishAnalysis(prep, selection, options, obs);
}

/** The same pipeline with the restarts handed to a runner (worker threads in Node, Web Workers in the page). */
export async function analyzeRunsWith(runner: FitRunner, bundle: RunBundle, options: AnalyzeOptions = {}): Promise<AnalysisReport> {
  options.onProgress?.({ phase: 'prepare' });
  const prep = prepareRuns(bundle, options);
  const obs = packSequences(prep.z);
  const selection = await selectModelWith(runner, obs, selectionOptions(options), (p) => options.onProgress?.({ phase: 'select', ...p }));
  return finishAnalysis(prep, selection, options, obs);
}
