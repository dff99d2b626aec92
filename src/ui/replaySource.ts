/**
 * Recorded runs replayed as a source of checkpoints (issue #16 §1): the bundle the live analysis holds is the
 * replay's growing bundle (src/replay/replayFeed.ts), so a replay goes through the same LiveAnalysis and
 * RefitScheduler as training does. When the recording came with an analysis, that analysis's own options win over
 * the page's settings, so the last map of the replay is that analysis again (docs/classroom.md, "Replay").
 */
import type { AnalysisReport } from '../analysis/index.ts';
import type { RunBundle } from '../io/runBundle.ts';
import { rowsUpTo } from '../replay/prefix.ts';
import { Replay } from '../replay/replay.ts';
import { optionsOfSettings } from '../replay/replayLive.ts';
import type { AnalysisRequestOptions } from '../workers/protocol.ts';
import { SourceSignal, type CheckpointSource, type SourceChange } from './checkpointSource.ts';

export class ReplaySource implements CheckpointSource {
  readonly kind = 'replay' as const;
  readonly initialReport = null;
  readonly analyzeAtOnce = true;
  readonly analysisDefaults: AnalysisRequestOptions = {};
  readonly analysisOverrides: AnalysisRequestOptions;
  readonly replay: Replay;
  /** The final full selection on every checkpoint, once it is on show (null before). */
  finalReport: AnalysisReport | null = null;
  /** longestAt[n]: rows of the longest run once n checkpoints are fed (what the analysis replies count). */
  private readonly longestAt: number[];
  private readonly signal = new SourceSignal();

  constructor(
    readonly key: string,
    recording: RunBundle,
    /** What is replayed, as the page names it. */
    readonly recordingTitle: string,
    /** The analysis the recording came with (its options are the replay's), if any. */
    readonly shipped: AnalysisReport | null,
    speed?: number,
  ) {
    this.replay = new Replay(recording, speed);
    this.analysisOverrides = shipped ? optionsOfSettings(shipped.settings) : {};
    const steps = this.replay.feed.steps;
    const runs = recording.groups.flatMap((g) => g.runs.map((r) => r.checkpoints.step));
    this.longestAt = [0, ...steps.map((s) => Math.max(0, ...runs.map((r) => rowsUpTo(r, s))))];
  }

  get title(): string {
    return `Replay: ${this.recordingTitle}`;
  }

  get about(): string {
    return 'A replay of recorded runs, not training: the checkpoints arrive at the pace you choose and the map is refitted as they would have been live.';
  }

  get bundle(): RunBundle {
    return this.replay.bundle;
  }

  subscribe(listener: (change: SourceChange) => void): () => void {
    return this.signal.subscribe(listener);
  }

  /**
   * The checkpoint count a report was made at, from the rows of the longest run it covered: the current one when
   * it matches (replies come back for the data as they were asked), else the last count with that many rows.
   */
  countOf(longest: number): number {
    const now = this.replay.feed.position;
    if (this.longestAt[now] === longest) return now;
    return this.longestAt.lastIndexOf(longest);
  }

  /** A report the live analysis put on show: logged for its checkpoint count (scrubbing back shows it again). */
  shown(report: AnalysisReport, mode: 'full' | 'warm' | 'stored', longest: number): void {
    const at = this.countOf(longest);
    if (at <= 0) return;
    this.replay.shown(report, at);
    if (mode === 'full' && at === this.replay.feed.total) this.finalReport = report;
  }
}
