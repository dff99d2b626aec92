/**
 * A whole replay through the live path, one checkpoint at a time, without a clock: what the page does while
 * playing, with every analysis awaited before the next checkpoint arrives. The same RefitScheduler decides between
 * warm refits and full selections as in training (src/ui/refitScheduler.ts), full selections keep the numbering of
 * the report on show, and at the end one more full selection runs on all of the data with the given options, so the
 * last map is the full analysis of the recording with those options (src/replay/sameMap.ts compares them). Used by
 * the tests and by scripts that ask when a fork first shows.
 */
import type { AnalysisReport, AnalysisSettings, AnalyzeOptions } from '../analysis/index.ts';
import type { RunBundle } from '../io/runBundle.ts';
import { DEFAULT_POLICY, RefitScheduler, type RefitPolicy } from '../ui/refitScheduler.ts';
import { ReplayFeed } from './replayFeed.ts';
import { ReportLog } from './reportLog.ts';

/** The two analyses the live path asks for: the page's analysis worker, or the pipeline itself in Node. */
export interface AnalysisPort {
  full(bundle: RunBundle, options: AnalyzeOptions): Promise<AnalysisReport>;
  warm(bundle: RunBundle, previous: AnalysisReport, options: AnalyzeOptions): Promise<AnalysisReport>;
}

export interface ReplayEvent {
  checkpoints: number;
  kind: 'full' | 'warm';
  report: AnalysisReport;
  /** False when the scheduler kept the report on show instead. */
  shown: boolean;
}

/** The options that reproduce an analysis from its recorded settings (every default filled in). */
export function optionsOfSettings(s: AnalysisSettings): AnalyzeOptions {
  return {
    threshold: s.threshold,
    accuracyColumn: s.accuracyColumn,
    restarts: s.restarts,
    seed: s.seed,
    maxIterations: s.maxIterations,
    tolerance: s.tolerance,
    covariancePrior: s.covariancePrior,
    heldOutFraction: s.heldOutFraction,
    ...(s.states === 'auto' ? {} : { states: s.states }),
    kMin: s.kMin,
    kMax: s.kMax,
    init: s.init as AnalyzeOptions['init'],
    kmeansInits: s.kmeansInits,
    criterion: s.criterion,
    stabilityRestarts: s.stabilityRestarts,
    comparableWithin: s.comparableWithin,
    avoidDegenerate: s.avoidDegenerate,
    stickyPrior: s.stickyPrior,
    bootstrap: s.bootstrap,
    features: [...s.features],
  };
}

/** The numbering hint a full selection gets from the report on show (as LiveAnalysis passes it). */
export function previousOf(report: AnalysisReport): NonNullable<AnalyzeOptions['previous']> {
  return {
    params: report.model.params,
    features: report.features,
    paths: report.runs.flatMap((r) => (r.path ? [{ key: r.key, path: r.path }] : [])),
  };
}

export async function replayLive(
  recording: RunBundle,
  port: AnalysisPort,
  options: AnalyzeOptions = {},
  { policy = DEFAULT_POLICY, onEvent }: { policy?: RefitPolicy; onEvent?: (e: ReplayEvent) => void } = {},
): Promise<{ log: ReportLog; feed: ReplayFeed; final: AnalysisReport | null }> {
  const feed = new ReplayFeed(recording);
  const log = new ReportLog();
  const scheduler = new RefitScheduler(policy);
  let shown: AnalysisReport | null = null;
  const run = async (n: number, kind: 'full' | 'warm') => {
    scheduler.started(kind, n);
    let report: AnalysisReport;
    try {
      report =
        kind === 'warm' && shown
          ? await port.warm(feed.live, shown, options)
          : await port.full(feed.live, { ...options, ...(shown ? { previous: previousOf(shown) } : {}) });
    } catch {
      scheduler.finished(kind, n, false);
      if (kind === 'warm') scheduler.reset();
      return;
    }
    const take = scheduler.finished(kind, n, true);
    if (take) shown = report;
    onEvent?.({ checkpoints: n, kind, report, shown: take });
  };
  for (let n = 1; n <= feed.total; n++) {
    feed.seek(n);
    if (n === feed.total) scheduler.wantFull();
    for (let next = scheduler.next(n); next; next = scheduler.next(n))
      await run(n, next === 'warm' && shown ? 'warm' : 'full');
    if (shown) log.record(n, shown);
  }
  return { log, feed, final: shown };
}
