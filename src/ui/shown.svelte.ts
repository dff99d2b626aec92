/**
 * What the lab shows: one source of checkpoints at a time (checkpointSource.ts) with its live analysis, and the
 * user's choices of view (the selected run, the ribbons' order, the curves' columns). Every source the page
 * follows (each group of the session, the sample, an import) keeps its own LiveAnalysis, so the comparison of
 * groups has every map at hand; new analysis options refit them all. Knows nothing of training.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import type { AnalysisReply, AnalysisRequestOptions } from '../workers/protocol.ts';
import type { AnalysisClient } from './analysisClient.ts';
import type { RibbonOrder } from './charts/ribbonChart.ts';
import type { CheckpointSource } from './checkpointSource.ts';
import { LiveAnalysis, type ReportInfo } from './liveAnalysis.svelte.ts';

export type ReportListener = (source: CheckpointSource, report: AnalysisReport, info: ReportInfo) => void;

export class Shown {
  source = $state.raw<CheckpointSource | null>(null);
  analysis = $state.raw<LiveAnalysis | null>(null);
  selectedRun = $state<string | null>(null);
  ribbonOrder = $state<RibbonOrder>('convergence');
  curveColumn = $state('eval_acc');
  metricColumn = $state('l2');
  private analyses = new Map<string, LiveAnalysis>();
  /** Keys of the followed sources whose data will not grow. */
  private fixed = new Set<string>();

  constructor(
    private readonly client: AnalysisClient,
    private options: AnalysisRequestOptions,
    private readonly onReport: ReportListener,
  ) {}

  /** Starts analyzing a source (once; later calls give the same analysis). */
  follow(source: CheckpointSource): LiveAnalysis {
    let view = this.analyses.get(source.key);
    if (!view) {
      view = new LiveAnalysis(this.client, source, this.options);
      view.onReport = (report, info) => this.onReport(source, report, info);
      this.analyses.set(source.key, view);
      if (source.complete) this.fixed.add(source.key);
    }
    return view;
  }

  /** The analysis of a source followed, if any. */
  analysisOf(key: string): LiveAnalysis | null {
    return this.analyses.get(key) ?? null;
  }

  show(source: CheckpointSource): void {
    this.analysis = this.follow(source);
    this.source = source;
    this.selectedRun = null;
  }

  /** Stops analyzing a source (a deleted group, a closed session); what is on show stays until replaced. */
  forget(key: string): void {
    this.analyses.get(key)?.dispose();
    this.analyses.delete(key);
    this.fixed.delete(key);
  }

  /**
   * New analysis options: the source on show and every group are analyzed again under them. Data that will not
   * grow and are not on show (the sample, an earlier import) are dropped: they are analyzed afresh, under the
   * options of that time, when shown again, instead of costing a full selection now that nobody looks at.
   */
  reconfigure(options: AnalysisRequestOptions): void {
    this.options = options;
    for (const [key, view] of this.analyses) {
      if (view !== this.analysis && this.fixed.has(key)) this.forget(key);
      else view.reconfigure(options);
    }
  }

  /** A reply of the analysis worker, to the analysis it belongs to. */
  receive(reply: AnalysisReply): void {
    this.analyses.get(reply.key)?.receive(reply);
  }

  selectRun(key: string | null): void {
    this.selectedRun = this.selectedRun === key ? null : key;
  }
}
