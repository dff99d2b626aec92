/**
 * The live lab's quick refit: as checkpoints arrive, refit at the current K starting from the previous
 * report's parameters (one EM run instead of a model selection), with states matched to that report so colours
 * and positions do not jump. A full model selection still runs in the background and replaces it.
 */
import type { RunBundle } from '../io/runBundle.ts';
import type { AnalysisReport, AnalyzeOptions } from './analysisReport.ts';
import { fitObservations } from './hmm/fit.ts';
import { scoreObservations } from './hmm/inference.ts';
import { packSequences } from './hmm/observations.ts';
import { planSelection, type ModelSelection } from './hmm/selection.ts';
import { finishAnalysis } from './pipeline.ts';
import { prepareRuns } from './prepareRuns.ts';

/** Why a warm refit cannot follow this report (the page then runs a full selection), or null. */
export function warmRefitObstacle(previous: AnalysisReport, features: readonly string[]): string | null {
  if (previous.features.join() !== features.join()) return `the features changed (${previous.features.join(', ')} → ${features.join(', ')})`;
  return null;
}

export function warmRefit(bundle: RunBundle, previous: AnalysisReport, options: AnalyzeOptions = {}): AnalysisReport {
  const k = previous.model.params.startprob.length;
  const requested = options.features ?? previous.settings.features;
  const paths = previous.runs.flatMap((r) => (r.path ? [{ key: r.key, path: r.path }] : []));
  const opts: AnalyzeOptions = { ...options, features: requested, previous: { params: previous.model.params, features: previous.features, paths } };
  const prep = prepareRuns(bundle, opts);
  const obstacle = warmRefitObstacle(previous, prep.features);
  if (obstacle) throw new Error(`cannot refit from the previous fit: ${obstacle}`);
  const obs = packSequences(prep.z);
  // The same seeded split as a full selection on these runs, at the previous K only.
  const plan = planSelection(obs, { ...opts, states: k });
  const chosen = fitObservations(plan.trainObs, {
    nStates: k,
    start: previous.model.params,
    maxIterations: opts.maxIterations,
    tolerance: opts.tolerance,
    covariancePrior: opts.covariancePrior,
  });
  const heldOut = scoreObservations(chosen.params, plan.heldOutObs).reduce((a, b) => a + b, 0);
  const selection: ModelSelection = {
    train: plan.train,
    heldOut: plan.heldOut,
    nHeldOutObservations: plan.heldOutObs.nObservations,
    // The curves over K stay those of the last full selection; only the chosen K's fit moves on.
    rows: previous.selection.rows,
    chosenK: k,
    chosen,
    warnings: chosen.warnings,
  };
  const report = finishAnalysis(prep, selection, opts, obs);
  return { ...report, refit: { mode: 'warm', heldOutLogLikelihood: heldOut } };
}
