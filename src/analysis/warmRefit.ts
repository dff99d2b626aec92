/**
 * The live lab's quick refit: as checkpoints arrive, refit at the current K starting from the previous
 * report's parameters (one EM run instead of a model selection), with states matched to that report so colours
 * and positions do not jump. A full model selection (with its stability restarts) still runs in the background
 * and replaces it; until then the selection curves and the stability of the last full analysis are shown.
 */
import type { RunBundle } from '../io/runBundle.ts';
import type { AnalysisReport, AnalyzeOptions } from './analysisReport.ts';
import { packSequences } from './hmm/observations.ts';
import { assembleSelection, planSelection, runFitJob } from './selection.ts';
import { finishAnalysis } from './finishAnalysis.ts';
import { assessKChoice } from './kChoice.ts';
import { prepareRuns, sameFeatures } from './prepareRuns.ts';
import { previousOfReport } from './previousFit.ts';

/** Why a warm refit cannot follow this report (the page then runs a full selection), or null. */
export function warmRefitObstacle(previous: AnalysisReport, features: readonly string[]): string | null {
  if (!sameFeatures(previous.features, features))
    return `the features changed (${previous.features.join(', ')} → ${features.join(', ')})`;
  return null;
}

export function warmRefit(bundle: RunBundle, previous: AnalysisReport, options: AnalyzeOptions = {}): AnalysisReport {
  const k = previous.model.params.startprob.length;
  const requested = options.features ?? previous.settings.features;
  const opts: AnalyzeOptions = {
    ...options,
    features: requested,
    stabilityRestarts: 0,
    previous: previousOfReport(previous),
  };
  const prep = prepareRuns(bundle, opts);
  const obstacle = warmRefitObstacle(previous, prep.features);
  if (obstacle) throw new Error(`cannot refit from the previous fit: ${obstacle}`);
  const obs = packSequences(prep.z);
  // The same seeded split as a full selection on these runs, at the previous K only.
  const plan = planSelection(obs, { ...opts, states: k });
  const result = runFitJob(
    plan.trainObs,
    plan.heldOutObs,
    { k, restart: 0, seed: 0, start: previous.model.params },
    plan.options,
  );
  if (!result.fit) throw new Error(`the warm refit failed: ${result.error}`);
  const selection = assembleSelection(plan, [result]);
  const kChoice = assessKChoice(selection, { seed: opts.seed, nFeatures: obs.nFeatures });
  const report = finishAnalysis(prep, { selection, extra: [], kChoice, plausible: [] }, opts, obs);
  return {
    ...report,
    // The curves over K and the stability stay those of the last full analysis; only the chosen K's fit moves on.
    selection: { ...previous.selection, nHeldOutObservations: report.selection.nHeldOutObservations },
    stability: previous.stability,
    refit: { mode: 'warm', heldOutLogLikelihood: result.heldOutLogLikelihood },
  };
}
