/** The whole analysis of method.md §4–§12: prepare runs, select a model, decode, then map, regression, detours and dissimilarity. */
import type { RunBundle } from '../io/runBundle.ts';
import { quoted, safeText } from '../io/safeText.ts';
import {
  ANALYSIS_FORMAT,
  resolveSettings,
  type AnalysisReport,
  type AnalysisWarning,
  type AnalyzeOptions,
} from './analysisReport.ts';
import { bagOfStatesRegression } from './bagOfStates.ts';
import { detourStates } from './detours.ts';
import { convergenceTimes } from './convergence.ts';
import { convergenceForecast } from './forecast.ts';
import { labelFreeDissimilarity, occupancy, trajectoryDissimilarity } from './dissimilarity.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { describeFinding, renumberFindings } from './hmm/degeneracy.ts';
import { emissionLogLikelihoods } from './hmm/inference.ts';
import { viterbiPath } from './hmm/viterbi.ts';
import { matchStates, matchStatesByPaths, permuteParams, permutePath } from './hmm/matching.ts';
import { packSequences } from './hmm/observations.ts';
import { fromFlat } from './hmm/params.ts';
import {
  assembleSelection,
  pickRestart,
  planSelection,
  runJobsHere,
  stabilityJobs,
  type FitJob,
  type FitJobResult,
  type FitRunner,
  type ModelSelection,
  type RestartGuard,
  type SelectionOptions,
  type SelectionPlan,
} from './selection.ts';
import type { HMMParams, ObservationSet } from './hmm/types.ts';
import { assessKChoice } from './kChoice.ts';
import { buildTrainingMap } from './map.ts';
import { prepareRuns, sameFeatures, type PreparedRuns } from './prepareRuns.ts';
import { assessStability } from './stability.ts';

/** The fit the map shows: the chosen K's restart, or a better one among the stability restarts (guarded alike). */
function shownFit(
  selection: ModelSelection,
  extra: readonly FitJobResult[],
  options: AnalyzeOptions,
): { shown: FitJobResult; guard?: RestartGuard } {
  const atK = [...selection.results.filter((r) => r.job.k === selection.chosenK), ...extra];
  const { used, guard } = pickRestart(
    atK,
    selection.nHeldOutObservations,
    options.comparableWithin,
    options.avoidDegenerate,
  );
  return { shown: used!, guard };
}

export function finishAnalysis(
  prep: PreparedRuns,
  selection: ModelSelection,
  extra: readonly FitJobResult[],
  options: AnalyzeOptions,
  obs: ObservationSet,
): AnalysisReport {
  options.onProgress?.({ phase: 'decode' });
  const { shown, guard } = shownFit(selection, extra, options);
  const fitted = fromFlat(shown.fit!.params);
  // Emission log-likelihoods once: the Viterbi paths and the forecast's filtered posteriors both read them.
  const flat = shown.fit!.params;
  const rawLogB = emissionLogLikelihoods(flat, obs);
  const rawPaths = rawLogB.map((logB, s) => viterbiPath(logB, obs.lengths[s], flat.startprob, flat.transmat).path);
  const order = stateOrder(fitted, rawPaths, prep, options.previous);
  const params = permuteParams(fitted, order);
  const paths = rawPaths.map((p) => permutePath(p, order));
  const k = params.startprob.length;
  const settings = resolveSettings(options, prep.features);
  const { threshold, accuracyColumn } = settings;
  const warnings: AnalysisWarning[] = [
    ...prep.warnings,
    ...shown.fit!.warnings.map((w): AnalysisWarning => ({
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
  const forecast: AnalysisReport['forecast'] = convergence
    ? convergenceForecast({
        params,
        obs,
        paths,
        convergence: prep.included.map((i) => prep.runs[i].convergence!),
        keys: prep.included.map((i) => prep.runs[i].key),
        steps: prep.steps,
        // In the shown numbering: new state i is the fit's state order[i].
        logB: rawLogB.map((raw) => raw.map((_, c) => raw[c - (c % k) + order[c % k]])),
      })
    : { skipped: (regression as { skipped: string }).skipped };
  const occ = paths.map((p) => occupancy(p, k));
  warnings.push(...degeneracyWarnings(k, shown, guard, order, options));
  const kChoice = assessKChoice(selection, {
    seed: options.seed,
    comparableWithin: options.comparableWithin,
    avoidDegenerate: options.avoidDegenerate,
    nFeatures: prep.features.length,
  });
  const stabilityRestarts = options.stabilityRestarts ?? ANALYSIS_DEFAULTS.stabilityRestarts;
  const stability: AnalysisReport['stability'] =
    stabilityRestarts > 0
      ? {
          ...assessStability({
            k,
            fits: [...selection.results.filter((r) => r.job.k === selection.chosenK), ...extra],
            shownRestart: shown.job.restart,
            shownOrder: order,
            shownParams: params,
            shownPaths: paths,
            shownDetours: detours,
            obs,
            ...(convergence
              ? {
                  convergence: {
                    times: convergence,
                    converged: prep.runs.filter((r) => r.included).map((r) => r.convergence!.converged),
                  },
                }
              : {}),
            nHeldOutObservations: selection.nHeldOutObservations,
            comparableWithin: options.comparableWithin,
          }),
          kChoice,
          selectionRestart: selection.chosenRestart,
        }
      : { skipped: 'no stability restarts asked for (--stability-restarts 0)', kChoice };
  return {
    format: ANALYSIS_FORMAT,
    settings,
    features: prep.features,
    droppedFeatures: prep.droppedFeatures,
    runs: prep.runs,
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
      params,
      logLikelihoodHistory: shown.fit!.logLikelihoodHistory,
      converged: shown.fit!.converged,
      iterations: shown.fit!.iterations,
    },
    map,
    regression,
    detours,
    dissimilarity: { stateIndex: trajectoryDissimilarity(occ), labelFree: labelFreeDissimilarity(occ, params.means) },
    stability,
    forecast,
    warnings,
  };
}

/** What the degeneracy guard found and did at the chosen K, in the shown numbering. */
function degeneracyWarnings(
  k: number,
  shown: FitJobResult,
  guard: RestartGuard | undefined,
  order: readonly number[],
  options: AnalyzeOptions,
): AnalysisWarning[] {
  const out: AnalysisWarning[] = [];
  const within = options.comparableWithin ?? ANALYSIS_DEFAULTS.comparableWithin;
  const perCp = (x: number) => `${x.toFixed(3)} nats per held-out checkpoint`;
  if (guard?.action === 'avoided') {
    out.push({
      kind: 'degenerate-fit',
      message: `K=${k}: the restart with the best held-out likelihood (restart ${guard.degenerateRestart}) is degenerate (${guard.findings.map(describeFinding).join('; ')}, in its own numbering); restart ${guard.usedRestart}, ${perCp(guard.gapPerCheckpoint!)} below it and without degenerate states, is shown instead`,
    });
  }
  for (const f of renumberFindings(shown.degenerate, order)) {
    const why = !(options.avoidDegenerate ?? ANALYSIS_DEFAULTS.avoidDegenerate)
      ? 'the guard against degenerate fits is off (--avoid-degenerate false)'
      : guard?.cleanRestart !== undefined
        ? `the best restart without degenerate states (restart ${guard.cleanRestart}) is ${perCp(guard.gapPerCheckpoint!)} worse, beyond the ${perCp(within)} tolerance, so this fit is kept`
        : `every restart at K=${k} has degenerate states`;
    out.push({
      kind: 'degenerate-fit',
      ...(f.states.length === 1 ? { state: f.states[0] } : { states: f.states }),
      message: `the shown fit is degenerate: ${describeFinding(f)}; ${why} — read these states as an artifact of the fit, not a phase of training`,
    });
  }
  return out;
}

interface JobBatch {
  phase: 'select' | 'stability';
  plan: SelectionPlan;
  jobs: FitJob[];
}

/** The analysis as steps that hand out batches of fits and take their results back, so any runner can fit them. */
function* analysisSteps(
  prep: PreparedRuns,
  options: AnalyzeOptions,
): Generator<JobBatch, AnalysisReport, FitJobResult[]> {
  const obs = packSequences(prep.z);
  const plan = planSelection(obs, selectionOptions(options));
  const results = yield { phase: 'select', plan, jobs: plan.jobs };
  const selection = assembleSelection(plan, results);
  const more =
    (options.stabilityRestarts ?? ANALYSIS_DEFAULTS.stabilityRestarts) > 0
      ? stabilityJobs(plan, selection.chosenK)
      : [];
  const extra = more.length > 0 ? yield { phase: 'stability', plan, jobs: more } : [];
  return finishAnalysis(prep, selection, extra, options, obs);
}

/**
 * New state numbering: matched to a previous fit when one is given (so colours and positions stay put),
 * otherwise by mean first-visit checkpoint, so state 0 is where training starts.
 */
function stateOrder(
  params: HMMParams,
  paths: Int32Array[],
  prep: PreparedRuns,
  previous?: AnalyzeOptions['previous'],
): number[] {
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

/** The whole pipeline of method.md §4–§12 in this thread. */
export function analyzeRuns(bundle: RunBundle, options: AnalyzeOptions = {}): AnalysisReport {
  options.onProgress?.({ phase: 'prepare' });
  return analyzePrepared(prepareRuns(bundle, options), options);
}

/** The pipeline after §4, on runs already prepared (normalized sequences and their summaries), in this thread. */
export function analyzePrepared(prep: PreparedRuns, options: AnalyzeOptions = {}): AnalysisReport {
  const steps = analysisSteps(prep, options);
  let step = steps.next();
  while (!step.done) {
    const { phase, plan, jobs } = step.value;
    const results = runJobsHere(plan, jobs, (r, done) =>
      options.onProgress?.({
        phase,
        done,
        total: jobs.length,
        job: r.job,
        heldOutLogLikelihood: r.heldOutLogLikelihood,
      }),
    );
    step = steps.next(results);
  }
  return step.value;
}

/** The same pipeline with the restarts handed to a runner (worker threads in Node, Web Workers in the page). */
export async function analyzeRunsWith(
  runner: FitRunner,
  bundle: RunBundle,
  options: AnalyzeOptions = {},
): Promise<AnalysisReport> {
  options.onProgress?.({ phase: 'prepare' });
  const steps = analysisSteps(prepareRuns(bundle, options), options);
  let step = steps.next();
  while (!step.done) {
    const { phase, plan, jobs } = step.value;
    let done = 0;
    const results = await runner.run({ ...plan, jobs }, (r) =>
      options.onProgress?.({
        phase,
        done: ++done,
        total: jobs.length,
        job: r.job,
        heldOutLogLikelihood: r.heldOutLogLikelihood,
      }),
    );
    step = steps.next(results);
  }
  return step.value;
}
