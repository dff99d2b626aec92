/**
 * The whole analysis of method.md §4–§13 as a sequence of batches of fits (model selection, then restarts at every
 * plausible K) handed to any runner, and finishAnalysis after them.
 */
import type { RunBundle } from '../io/runBundle.ts';
import type { AnalysisReport, AnalyzeOptions } from './analysisReport.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { finishAnalysis } from './finishAnalysis.ts';
import { packSequences } from './hmm/observations.ts';
import { assessKChoice } from './kChoice.ts';
import { prepareRuns, type PreparedRuns } from './prepareRuns.ts';
import {
  assembleSelection,
  planSelection,
  runJobsHere,
  stabilityJobs,
  type FitJob,
  type FitJobResult,
  type FitRunner,
  type SelectionOptions,
  type SelectionPlan,
} from './selection.ts';
import { plausibleKs } from './supportAcrossK.ts';

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
  const kChoice = assessKChoice(selection, {
    seed: options.seed,
    comparableWithin: options.comparableWithin,
    avoidDegenerate: options.avoidDegenerate,
    nFeatures: obs.nFeatures,
  });
  const stability = (options.stabilityRestarts ?? ANALYSIS_DEFAULTS.stabilityRestarts) > 0;
  // The supports count every K the data cannot tell from the chosen one, each with the same restarts (§13.7).
  const plausible = stability
    ? plausibleKs(selection, kChoice, {
        nFeatures: obs.nFeatures,
        heldOutLengths: plan.heldOutObs.lengths,
        seed: options.seed,
        comparableWithin: options.comparableWithin,
        avoidDegenerate: options.avoidDegenerate,
      })
    : [];
  const more = plausible.flatMap((p) => stabilityJobs(plan, p.k));
  const extra = more.length > 0 ? yield { phase: 'stability', plan, jobs: more } : [];
  return finishAnalysis(prep, { selection, extra, kChoice, plausible }, options, obs);
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
