/**
 * The analysis of one source of checkpoints (a training group, the sample, an import, a joint fit), kept current
 * as its data grow: it asks the analysis worker for warm refits and full selections as RefitScheduler decides, and
 * keeps the newest report. Components read its fields; none of them computes.
 */
import type { AnalysisInputProblem, AnalysisProgress, AnalysisReport } from '../analysis/index.ts';
import { longestRun, type RunBundle } from '../io/runBundle.ts';
import type { CheckpointSource } from './checkpointSource.ts';
import type { AnalysisReply, AnalysisRequestOptions } from '../workers/protocol.ts';
import type { AnalysisClient } from './analysisClient.ts';
import { RefitScheduler } from './refitScheduler.ts';

export interface ReportInfo {
  mode: 'full' | 'warm' | 'stored';
  ms: number;
  /** Checkpoints of the longest run behind the report. */
  checkpoints: number;
  at: number;
}

function describeProgress(p: AnalysisProgress): string {
  if (p.phase === 'select') return `model selection: ${p.done}/${p.total} fits (K=${p.job.k})`;
  if (p.phase === 'stability') return `stability: ${p.done}/${p.total} more restarts at K=${p.job.k}`;
  return { prepare: 'normalizing runs', decode: 'decoding runs', map: 'building the map' }[p.phase];
}

export class LiveAnalysis {
  report = $state.raw<AnalysisReport | null>(null);
  info = $state.raw<ReportInfo | null>(null);
  /** What is running now, in words ('' when idle). */
  activity = $state('');
  /** The last failure, in words ('' when the last attempt worked). */
  problem = $state('');
  /** The last failure when the data cannot make a map (too small, features missing), as data; null otherwise. */
  inputProblem = $state.raw<AnalysisInputProblem | null>(null);
  /** Bumped whenever the bundle grows, so views that read it redraw. */
  version = $state(0);

  /** Called with every report that replaces the one on show (the page stores it with the group). */
  onReport: ((report: AnalysisReport, info: ReportInfo) => void) | null = null;

  private scheduler = new RefitScheduler();
  private pending = new Map<number, 'full' | 'warm'>();
  private readonly unsubscribe: () => void;
  readonly key: string;
  readonly bundle: RunBundle;
  private readonly defaults: AnalysisRequestOptions;
  private readonly overrides: AnalysisRequestOptions;
  private options: AnalysisRequestOptions;

  constructor(
    private readonly client: AnalysisClient,
    source: CheckpointSource,
    options: AnalysisRequestOptions = {},
  ) {
    this.key = source.key;
    this.bundle = source.bundle;
    this.defaults = source.analysisDefaults;
    this.overrides = source.analysisOverrides ?? {};
    this.options = { ...this.defaults, ...options, ...this.overrides };
    this.unsubscribe = source.subscribe((change) => (change === 'ended' ? this.final() : this.changed()));
    if (source.initialReport) this.adopt(source.initialReport);
    // Data that will not grow are analyzed whatever their size, so a set too small for a map ends with the reason.
    if (source.complete && (!source.initialReport || source.analyzeAtOnce)) this.scheduler.wantFull();
    if (!source.initialReport || source.analyzeAtOnce) this.changed();
  }

  /** Show a report computed earlier (stored with a session, or shipped with the sample) until a fresh one lands. */
  adopt(report: AnalysisReport): void {
    const checkpoints = longestRun(this.bundle);
    this.report = report;
    this.info = { mode: 'stored', ms: 0, checkpoints, at: Date.now() };
    this.scheduler.adopt(checkpoints);
  }

  /**
   * New analysis options (K, features, restarts, threshold…): a full selection under them replaces what is shown;
   * replies to requests made under the old options are dropped.
   */
  reconfigure(options: AnalysisRequestOptions): void {
    this.options = { ...this.defaults, ...options, ...this.overrides };
    this.pending.clear();
    this.activity = '';
    this.scheduler.reset();
    this.scheduler.wantFull();
    this.schedule();
  }

  /** Stops following the source (its replies are dropped from now on). */
  dispose(): void {
    this.unsubscribe();
    this.pending.clear();
  }

  /**
   * The data went back (a replay scrubbed back): what is in flight was asked of other data and is dropped, and the
   * schedule starts over as for a new source. Then show a map had there (adopt) or let it refit (changed).
   */
  rewind(): void {
    this.pending.clear();
    this.activity = '';
    this.scheduler.reset();
  }

  /** The bundle grew or shrank (or was just loaded): ask for what the schedule says. */
  changed(): void {
    this.version++;
    this.schedule();
  }

  /** The source ended: one more full selection on all of the data, whatever the growth since the last. */
  final(): void {
    this.scheduler.wantFull();
    this.schedule();
  }

  private schedule(): void {
    const checkpoints = longestRun(this.bundle);
    const next = this.scheduler.next(checkpoints);
    if (!next) return;
    const snapshot = this.bundle;
    const id =
      next === 'warm' && this.report
        ? this.client.warm(this.key, snapshot, this.report, this.options)
        : this.fullRequest(snapshot);
    this.pending.set(id, next === 'warm' && this.report ? 'warm' : 'full');
    this.scheduler.started(this.pending.get(id)!, checkpoints);
    if (this.pending.get(id) === 'full') this.activity = 'model selection started';
  }

  private fullRequest(bundle: RunBundle): number {
    const previous = this.report
      ? {
          params: this.report.model.params,
          features: this.report.features,
          paths: this.report.runs.flatMap((r) => (r.path ? [{ key: r.key, path: r.path }] : [])),
        }
      : undefined;
    return this.client.full(this.key, bundle, { ...this.options, ...(previous ? { previous } : {}) });
  }

  /** A reply from the analysis worker for this key. */
  receive(reply: AnalysisReply): void {
    if (reply.type === 'progress') {
      if (this.pending.get(reply.id) === 'full') this.activity = describeProgress(reply.progress);
      return;
    }
    const kind = this.pending.get(reply.id);
    if (!kind) return;
    this.pending.delete(reply.id);
    if (kind === 'full') this.activity = '';
    if (reply.type === 'failed') {
      this.scheduler.finished(kind, 0, false);
      this.problem = reply.message;
      this.inputProblem = reply.problem ?? null;
      // A warm refit that cannot follow (features changed) gives way to a full selection.
      if (kind === 'warm') this.scheduler.reset();
      return;
    }
    const take = this.scheduler.finished(kind, reply.checkpoints, true);
    if (take) {
      this.problem = '';
      this.inputProblem = null;
      this.report = reply.report;
      this.info = { mode: reply.mode, ms: reply.ms, checkpoints: reply.checkpoints, at: Date.now() };
      this.onReport?.(reply.report, this.info);
    }
    // More data may have arrived while this ran.
    this.schedule();
  }
}
