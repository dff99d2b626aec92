/**
 * A replay as the page drives it: the feed (the growing bundle the live analysis reads), the clock (play, pause,
 * step, speed, scrub) and the log of the map on show at every checkpoint count. Each move says what the page has to
 * do: show a map the replay already had at that count (scrubbing back and forward again gives the same map), or
 * let the live analysis refit on the grown bundle; at the last checkpoint, one more full selection with the
 * recording's own analysis options (see replayLive.ts), so the last map equals the recording's full analysis.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import type { RunBundle } from '../io/runBundle.ts';
import { ReplayClock } from './replayClock.ts';
import { ReplayFeed } from './replayFeed.ts';
import { forkSentence, ReportLog, type ForkVisibility } from './reportLog.ts';

export interface ReplayMove {
  from: number;
  to: number;
  /** The map on show when the replay was last at `to`: show it and refit nothing (null: refit as training would). */
  cached: AnalysisReport | null;
  /** The data shrank: the live analysis must forget its schedule before it goes on (LiveAnalysis/RefitScheduler.reset). */
  backwards: boolean;
  /** The last checkpoint was reached: ask for the final full selection (LiveAnalysis.final). */
  finished: boolean;
}

export class Replay {
  readonly feed: ReplayFeed;
  readonly clock: ReplayClock;
  readonly log = new ReportLog();

  constructor(recording: RunBundle, speed?: number) {
    this.feed = new ReplayFeed(recording);
    this.clock = new ReplayClock(this.feed.total, speed);
  }

  /** The growing bundle to hand to the live analysis. */
  get bundle(): RunBundle {
    return this.feed.live;
  }

  play(now: number): ReplayMove | null {
    this.clock.play(now);
    return this.moveTo(this.clock.position);
  }

  pause(): void {
    this.clock.pause();
  }

  /** Call on every animation frame or timer tick while playing. */
  tick(now: number): ReplayMove | null {
    return this.moveTo(this.clock.tick(now));
  }

  step(): ReplayMove | null {
    return this.moveTo(this.clock.step());
  }

  scrub(position: number, now: number): ReplayMove | null {
    return this.moveTo(this.clock.scrub(position, now));
  }

  setSpeed(speed: number, now: number): void {
    this.clock.setSpeed(speed, now);
  }

  /** The page shows a new map for the data as they stand: remember it for this count. */
  shown(report: AnalysisReport, checkpoints = this.feed.position): void {
    this.log.record(checkpoints, report);
  }

  forkVisibility(): ForkVisibility {
    return this.log.forkVisibility(this.feed.total);
  }

  forkSentence(): string {
    return forkSentence(this.forkVisibility());
  }

  private moveTo(to: number): ReplayMove | null {
    const from = this.feed.position;
    if (to === from) return null;
    this.feed.seek(to);
    return { from, to, cached: this.log.at(to), backwards: to < from, finished: to === this.feed.total };
  }
}
