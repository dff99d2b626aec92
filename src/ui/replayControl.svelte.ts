/**
 * The page's hands on a replay: play, pause, step, speed and scrub move the ReplaySource's feed and tell its
 * LiveAnalysis what the move means (docs/classroom.md, "What the page does with a replay"): a map the replay already
 * had at that count is shown again, data that went back reset the refit schedule, and the last checkpoint asks for
 * the final full selection. Holds the state the replay panel renders; computes nothing else.
 */
import type { ReplayMove } from '../replay/replay.ts';
import type { LiveAnalysis } from './liveAnalysis.svelte.ts';
import type { ReplaySource } from './replaySource.ts';

/** How often a playing replay looks at the clock. */
const TICK_MS = 100;

export class ReplayControl {
  position = $state(0);
  playing = $state(false);
  speed = $state(0);
  /** "The fork was first visible at checkpoint N of M." once a fork has shown ('' before). */
  forkSentence = $state('');
  /** The final full selection on every checkpoint is on show. */
  finished = $state(false);
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly source: ReplaySource,
    private readonly live: LiveAnalysis,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.speed = source.replay.clock.speed;
  }

  get total(): number {
    return this.source.replay.feed.total;
  }

  play(): void {
    this.apply(this.source.replay.play(this.now()));
    this.timer ??= setInterval(() => this.apply(this.source.replay.tick(this.now())), TICK_MS);
  }

  pause(): void {
    this.source.replay.pause();
    this.stopTimer();
    this.sync();
  }

  step(): void {
    this.stopTimer();
    this.apply(this.source.replay.step());
  }

  scrub(position: number): void {
    this.apply(this.source.replay.scrub(position, this.now()));
  }

  setSpeed(speed: number): void {
    this.source.replay.setSpeed(speed, this.now());
    this.speed = speed;
  }

  /** A report went on show (the lab's report listener calls this): the fork sentence may change. */
  reported(): void {
    const v = this.source.replay.forkVisibility();
    this.forkSentence = v.first === null ? '' : this.source.replay.forkSentence();
    this.finished = this.source.finalReport !== null && this.position === this.total;
  }

  dispose(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private apply(move: ReplayMove | null): void {
    this.sync();
    if (!move) return;
    // At the end, a map logged there before the final full selection landed is not the final one: ask for it.
    const cached = move.finished && !this.source.finalReport ? null : move.cached;
    if (cached) {
      this.live.rewind();
      this.live.adopt(cached);
      // Views that read the bundle redraw; no refit is asked (the schedule takes the adopted map as current).
      this.live.version++;
    } else {
      if (move.backwards) this.live.rewind();
      this.live.changed();
      if (move.finished) this.live.final();
    }
    this.reported();
  }

  private sync(): void {
    const clock = this.source.replay.clock;
    this.position = clock.position;
    this.playing = clock.playing;
    if (!clock.playing) this.stopTimer();
  }
}
