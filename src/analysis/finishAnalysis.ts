/**
 * The analysis after the fits (method.md §7–§13), as named steps that read like hmmlearn's `fit`: choose the shown
 * fit, decode it, number its states, then convergence, regression, map, forecast, dissimilarities, stability and
 * caveats, each a function of what came before. Nothing given to it is changed.
 */
import { quoted, safeText } from '../io/safeText.ts';
import {
  ANALYSIS_FORMAT,
  resolveSettings,
  type AnalysisReport,
  type AnalysisSettings,
  type AnalysisWarning,
  type AnalyzeOptions,
  type RunSummary,
} from './analysisReport.ts';
import { bagOfStatesRegression, type BagOfStatesRegression } from './bagOfStates.ts';
import {
  degeneracyCaveats,
  fewHeldOutCaveat,
  indistinguishableKCaveat,
  kAtTopCaveat,
  regressionCaveat,
} from './caveats.ts';
import { convergenceTimes, type Convergence } from './convergence.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { detourStates } from './detours.ts';
import { dissimilarities, occupancy } from './dissimilarity.ts';
import { convergenceForecast } from './forecast.ts';
import { renumberFindings } from './hmm/degeneracy.ts';
import { emissionLogLikelihoods } from './hmm/inference.ts';
import { permuteParams, permutePath } from './hmm/matching.ts';
import { fromFlat } from './hmm/params.ts';
import type { HMMParams, ObservationSet } from './hmm/types.ts';
import { viterbiPath } from './hmm/viterbi.ts';
import type { KChoice } from './kChoice.ts';
import { buildTrainingMap } from './map.ts';
import { sameFeatures, type PreparedRuns } from './prepareRuns.ts';
import { pickRestart, type FitJobResult, type ModelSelection, type RestartGuard } from './selection.ts';
import { assessStability } from './stability.ts';
import { numberStates, type StateNumbering } from './stateNumbering.ts';
import { assessSupportAcrossK, type PlausibleK } from './supportAcrossK.ts';

/** What the fitting passes produced: the selection, the extra restarts (at every plausible K), and how firmly K was chosen. */
export interface FittedAnalysis {
  selection: ModelSelection;
  /** Stability restarts beyond the selection's, at the chosen K and at the other plausible Ks. */
  extra: readonly FitJobResult[];
  kChoice: KChoice;
  /** The Ks the supports count (method.md §13.7); just the chosen K when there is nothing to compare. */
  plausible: readonly PlausibleK[];
}

/** The shown fit in the shown numbering: parameters, every included run's path and emission log-likelihoods. */
interface ShownModel {
  result: FitJobResult;
  guard?: RestartGuard;
  numbering: StateNumbering;
  params: HMMParams;
  paths: number[][];
  /** T×K per run, in the shown numbering (the forecast's filter reads them). */
  logB: Float64Array[];
}

interface ConvergenceOutcome {
  /** Per included run, when known; otherwise why not. */
  perRun?: Convergence[];
  skipped?: string;
  warnings: AnalysisWarning[];
}

interface RegressionOutcome {
  regression: BagOfStatesRegression | { skipped: string };
  detours: number[];
  warnings: AnalysisWarning[];
}

/** method.md §13.1: the chosen K's restart, or a better one among the stability restarts (guarded alike). */
export function chooseShownFit(
  fitted: FittedAnalysis,
  options: AnalyzeOptions,
): { result: FitJobResult; guard?: RestartGuard } {
  const { selection } = fitted;
  const atK = fitsAt(fitted, selection.chosenK);
  const { used, guard } = pickRestart(
    atK,
    selection.nHeldOutObservations,
    options.comparableWithin,
    options.avoidDegenerate,
  );
  return { result: used!, ...(guard ? { guard } : {}) };
}

/** Every fit at K: the selection's restarts and the extra ones. */
function fitsAt(fitted: FittedAnalysis, k: number): FitJobResult[] {
  return [...fitted.selection.results, ...fitted.extra].filter((r) => r.job.k === k);
}

/** method.md §7: Viterbi paths of every included run under the shown fit, numbered by first visit, identities carried. */
export function decodeShownFit(
  shown: { result: FitJobResult; guard?: RestartGuard },
  prep: PreparedRuns,
  obs: ObservationSet,
  previous: AnalyzeOptions['previous'],
): ShownModel {
  const flat = shown.result.fit!.params;
  // Emission log-likelihoods once: the Viterbi paths and the forecast's filtered posteriors both read them.
  const rawLogB = emissionLogLikelihoods(flat, obs);
  const rawPaths = rawLogB.map((logB, s) => viterbiPath(logB, obs.lengths[s], flat.startprob, flat.transmat).path);
  const fitted = fromFlat(flat);
  const carry = previous && sameFeatures(previous.features, prep.features) ? previous : undefined;
  const byKey = carry?.paths ? new Map(carry.paths.map((p) => [p.key, p.path])) : undefined;
  const numbering = numberStates(
    fitted,
    rawPaths,
    carry
      ? { fit: carry, ...(byKey ? { pathsOfRuns: prep.included.map((i) => byKey.get(prep.runs[i].key)) } : {}) }
      : undefined,
  );
  const { order } = numbering;
  const k = order.length;
  return {
    ...shown,
    numbering,
    params: permuteParams(fitted, order),
    paths: rawPaths.map((p) => permutePath(p, order)),
    // Shown state i is the fit's state order[i].
    logB: rawLogB.map((raw) => raw.map((_, c) => raw[c - (c % k) + order[c % k]])),
  };
}

/** method.md §9: when each included run converged, or why that cannot be known. */
export function convergenceOf(prep: PreparedRuns, settings: AnalysisSettings): ConvergenceOutcome {
  const { accuracyColumn, threshold } = settings;
  const missing = prep.accuracy.findIndex((a) => a === undefined);
  if (missing >= 0) {
    const lacking = prep.accuracy.filter((a) => a === undefined).length;
    const first = safeText(prep.runs[prep.included[missing]].key, 80);
    return {
      skipped: `no ${quoted(accuracyColumn)} column in ${lacking === prep.accuracy.length ? 'any run' : `run ${first}${lacking > 1 ? ` and ${lacking - 1} more` : ''}`}: convergence time and the regression need it`,
      warnings: [],
    };
  }
  const perRun = convergenceTimes(prep.accuracy as number[][], threshold);
  const never = perRun.filter((c) => !c.converged).length;
  return {
    perRun,
    warnings:
      never > 0
        ? [
            {
              kind: 'never-converged',
              message: `${never} run${never > 1 ? 's' : ''} never reached ${safeText(accuracyColumn, 80)} > ${threshold}; counted as converging at the longest run's length`,
            },
          ]
        : [],
  };
}

/** method.md §10–§11: the bag-of-states regression and the detours it implies. */
export function regressionOf(
  paths: readonly number[][],
  k: number,
  convergence: ConvergenceOutcome,
): RegressionOutcome {
  if (!convergence.perRun) return { regression: { skipped: convergence.skipped! }, detours: [], warnings: [] };
  const times = convergence.perRun.map((c) => c.checkpoint);
  const regression = bagOfStatesRegression(paths, k, times);
  return {
    regression,
    detours: detourStates(
      regression.coefficients,
      paths,
      convergence.perRun.map((c) => c.converged),
    ),
    warnings: [
      ...(regression.note ? [{ kind: 'regression' as const, message: `regression: ${regression.note}` }] : []),
      ...regressionCaveat(regression),
    ],
  };
}

/** Every run's summary with what the analysis found for it: new objects, the prepared ones untouched. */
export function summarizeRuns(
  prep: PreparedRuns,
  selection: ModelSelection,
  paths: readonly number[][],
  k: number,
  convergence: ConvergenceOutcome,
): RunSummary[] {
  const trainSet = new Set(selection.train);
  const position = new Map(prep.included.map((i, r) => [i, r]));
  return prep.runs.map((run, i) => {
    const r = position.get(i);
    if (r === undefined) return { ...run };
    const c = convergence.perRun?.[r];
    return {
      ...run,
      ...(c ? { convergence: { ...c, step: c.converged ? prep.steps[r][c.checkpoint] : null } } : {}),
      role: trainSet.has(r) ? 'train' : 'held-out',
      path: paths[r],
      occupancy: occupancy(paths[r], k),
    };
  });
}

/** method.md §13: restarts at the chosen K compared with the shown fit, then supports over every plausible K. */
export function stabilityOf(
  fitted: FittedAnalysis,
  model: ShownModel,
  convergence: ConvergenceOutcome,
  detours: readonly number[],
  obs: ObservationSet,
  options: AnalyzeOptions,
): AnalysisReport['stability'] {
  const { selection, kChoice } = fitted;
  if ((options.stabilityRestarts ?? ANALYSIS_DEFAULTS.stabilityRestarts) <= 0)
    return { skipped: 'no stability restarts asked for (--stability-restarts 0)', kChoice };
  const k = selection.chosenK;
  const conv = convergence.perRun
    ? { times: convergence.perRun.map((c) => c.checkpoint), converged: convergence.perRun.map((c) => c.converged) }
    : undefined;
  const comparableWithin = options.comparableWithin ?? ANALYSIS_DEFAULTS.comparableWithin;
  const stability = assessStability({
    k,
    fits: fitsAt(fitted, k),
    shownRestart: model.result.job.restart,
    shownOrder: model.numbering.order,
    shownParams: model.params,
    shownPaths: model.paths,
    shownDetours: detours,
    obs,
    ...(conv ? { convergence: conv } : {}),
    nHeldOutObservations: selection.nHeldOutObservations,
    comparableWithin,
    seed: options.seed,
    onFit: (done, total) => options.onProgress?.({ phase: 'decode', step: 'restarts', done, total }),
  });
  // Without a list of plausible K (a caller that fitted only the chosen K), the supports rest on that K alone.
  const plausible: readonly PlausibleK[] = fitted.plausible.length
    ? fitted.plausible
    : [{ k, chosen: true, chance: 1, restartShare: 1, weight: 1, reasons: ['chosen'] }];
  const acrossK = assessSupportAcrossK({
    plausible,
    stability,
    fits: plausible.flatMap((p) => fitsAt(fitted, p.k)),
    shownParams: model.params,
    shownDetours: detours,
    obs,
    ...(conv ? { convergence: conv } : {}),
    nHeldOutObservations: selection.nHeldOutObservations,
    comparableWithin,
    onFit: (done, total) => options.onProgress?.({ phase: 'decode', step: 'other-k', done, total }),
  });
  return { ...stability, kChoice, selectionRestart: selection.chosenRestart, acrossK };
}

export function finishAnalysis(
  prep: PreparedRuns,
  fitted: FittedAnalysis,
  options: AnalyzeOptions,
  obs: ObservationSet,
): AnalysisReport {
  const progress = options.onProgress;
  const { selection } = fitted;
  const settings = resolveSettings(options, prep.features);
  progress?.({ phase: 'decode', step: 'shown-fit' });
  const model = decodeShownFit(chooseShownFit(fitted, options), prep, obs, options.previous);
  const k = model.params.startprob.length;
  progress?.({ phase: 'map', step: 'map' });
  const convergence = convergenceOf(prep, settings);
  const { regression, detours, warnings: regressionWarnings } = regressionOf(model.paths, k, convergence);
  const times = convergence.perRun?.map((c) => c.checkpoint);
  const map = buildTrainingMap(model.params, model.paths, prep.features, times, model.numbering.identity);
  const runs = summarizeRuns(prep, selection, model.paths, k, convergence);
  const forecast: AnalysisReport['forecast'] = convergence.perRun
    ? convergenceForecast({
        params: model.params,
        obs,
        paths: model.paths,
        convergence: convergence.perRun,
        keys: prep.included.map((i) => prep.runs[i].key),
        steps: prep.steps,
        logB: model.logB,
      })
    : { skipped: convergence.skipped! };
  progress?.({ phase: 'map', step: 'dissimilarity' });
  const dissimilarity = dissimilarities(
    model.paths.map((p) => occupancy(p, k)),
    model.params.means,
    { seed: options.seed },
  );
  const stability = stabilityOf(fitted, model, convergence, detours, obs, options);
  const warnings: AnalysisWarning[] = [
    ...prep.warnings,
    ...model.result.fit!.warnings.map((w): AnalysisWarning => ({
      kind: 'fit-repair',
      ...(w.state !== undefined ? { state: w.state } : {}),
      message: `fit: ${w.message}`,
    })),
    ...fewHeldOutCaveat(prep.included.length, selection.heldOut.length),
    ...convergence.warnings,
    ...regressionWarnings,
    ...degeneracyCaveats(k, renumberFindings(model.result.degenerate, model.numbering.order), model.guard, options),
    ...kAtTopCaveat(selection.chosenK, settings),
    ...indistinguishableKCaveat(selection.chosenK, fitted.plausible),
  ];
  return {
    format: ANALYSIS_FORMAT,
    settings,
    features: prep.features,
    droppedFeatures: prep.droppedFeatures,
    runs,
    normalization: prep.normalization,
    selection: {
      criterion: 'bic',
      kCriterion: selection.criterion,
      chosenK: selection.chosenK,
      chosenKByBest: selection.chosenKByBest,
      chosenKByMean: selection.chosenKByMean,
      rows: selection.rows,
      nHeldOutObservations: selection.nHeldOutObservations,
    },
    model: {
      params: model.params,
      logLikelihoodHistory: model.result.fit!.logLikelihoodHistory,
      converged: model.result.fit!.converged,
      iterations: model.result.fit!.iterations,
    },
    map,
    regression,
    detours,
    dissimilarity,
    stability,
    forecast,
    warnings,
  };
}
