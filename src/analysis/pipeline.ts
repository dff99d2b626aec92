/** The whole analysis of SPEC §4–§10: prepare runs, select a model, decode, then map, regression, detours and dissimilarity. */
import type { RunBundle } from '../io/runBundle.ts';
import { quoted, safeText } from '../io/safeText.ts';
import { ANALYSIS_FORMAT, resolveSettings, type AnalysisReport, type AnalysisWarning, type AnalyzeOptions } from './analysisReport.ts';
import { bagOfStatesRegression } from './bagOfStates.ts';
import { detourStates } from './detours.ts';
import { convergenceTimes } from './convergence.ts';
import { labelFreeDissimilarity, occupancy, trajectoryDissimilarity } from './dissimilarity.ts';
import { decodeObservations } from './hmm/inference.ts';
import { matchStates, matchStatesByPaths, permuteParams, permutePath } from './hmm/matching.ts';
import { packSequences } from './hmm/observations.ts';
import { fromFlat } from './hmm/params.ts';
import { selectModel, selectModelWith, type FitRunner, type ModelSelection, type SelectionOptions } from './hmm/selection.ts';
import type { HMMParams } from './hmm/types.ts';
import { buildTrainingMap } from './map.ts';
import { prepareRuns, sameFeatures, type PreparedRuns } from './prepareRuns.ts';

export function finishAnalysis(prep: PreparedRuns, selection: ModelSelection, options: AnalyzeOptions, obs: ReturnType<typeof packSequences>): AnalysisReport {
  options.onProgress?.({ phase: 'decode' });
  const fitted = fromFlat(selection.chosen.params);
  const rawPaths = decodeObservations(selection.chosen.params, obs);
  const order = stateOrder(fitted, rawPaths, prep, options.previous);
  const params = permuteParams(fitted, order);
  const paths = rawPaths.map((p) => permutePath(p, order));
  const k = params.startprob.length;
  const settings = resolveSettings(options, prep.features);
  const { threshold, accuracyColumn } = settings;
  const warnings: AnalysisWarning[] = [
    ...prep.warnings,
    ...selection.warnings.map((w): AnalysisWarning => ({
      kind: 'fit-repair',
      ...(w.state !== undefined ? { state: w.state } : {}),
      message: `fit: ${w.message}`,
    })),
  ];
  const trainSet = new Set(selection.train);
  if (selection.heldOut.length < 4) {
    warnings.push({
      kind: 'few-held-out',
      message: `only ${prep.included.length} runs (${selection.heldOut.length} held out): model selection is unreliable with so few held-out runs and tends to choose few states; the paper used 40 runs`,
    });
  }
  let regression: AnalysisReport['regression'];
  let convergence: number[] | undefined;
  let detours: number[] = [];
  const missingAcc = prep.accuracy.findIndex((a) => a === undefined);
  if (missingAcc >= 0) {
    const lacking = prep.accuracy.filter((a) => a === undefined).length;
    const first = safeText(prep.runs[prep.included[missingAcc]].key, 80);
    regression = {
      skipped: `no ${quoted(accuracyColumn)} column in ${lacking === prep.accuracy.length ? 'any run' : `run ${first}${lacking > 1 ? ` and ${lacking - 1} more` : ''}`}: convergence time and the regression need it`,
    };
  } else {
    const conv = convergenceTimes(prep.accuracy as number[][], threshold);
    convergence = conv.map((c) => c.checkpoint);
    prep.included.forEach((i, r) => {
      prep.runs[i].convergence = { ...conv[r], step: conv[r].converged ? prep.steps[r][conv[r].checkpoint] : null };
    });
    const never = conv.filter((c) => !c.converged).length;
    if (never > 0) {
      warnings.push({
        kind: 'never-converged',
        message: `${never} run${never > 1 ? 's' : ''} never reached ${safeText(accuracyColumn, 80)} > ${threshold}; counted as converging at the longest run's length`,
      });
    }
    const reg = bagOfStatesRegression(paths, k, convergence);
    regression = reg;
    if (reg.note) warnings.push({ kind: 'regression', message: `regression: ${reg.note}` });
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
    settings,
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
function stateOrder(params: HMMParams, paths: Int32Array[], prep: PreparedRuns, previous?: AnalyzeOptions['previous']): number[] {
  const k = params.startprob.length;
  if (previous && sameFeatures(previous.features, prep.features)) {
    if (!previous.paths) return matchStates(previous.params, params);
    const byKey = new Map(previous.paths.map((p) => [p.key, p.path]));
    return matchStatesByPaths(
      prep.included.map((i) => byKey.get(prep.runs[i].key)),
      paths,
      previous.params.startprob.length,
      k,
    );
  }
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
