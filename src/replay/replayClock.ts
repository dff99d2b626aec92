/**
 * The pace of a replay: play, pause, single steps, a speed in checkpoints per second and a scrub to any
 * checkpoint. Pure: the page calls tick() with the time (from requestAnimationFrame or a timer) and moves the feed
 * to the position it returns, so the same ticks always give the same positions.
 */
export const REPLAY_SPEEDS = [0.5, 1, 2, 4, 8, 16] as const;
export const DEFAULT_REPLAY_SPEED = 4;

export class ReplayClock {
  private playingSince: number | null = null;
  /** Checkpoints (fractional) shown at playingSince. */
  private base = 0;
  private speedNow: number;

  constructor(
    readonly total: number,
    speed = DEFAULT_REPLAY_SPEED,
    private positionNow = 0,
  ) {
    if (!(Number.isInteger(total) && total >= 0))
      throw new Error(`a replay needs a whole number of checkpoints, got ${total}`);
    this.speedNow = checkSpeed(speed);
    this.positionNow = this.clamp(positionNow);
  }

  get position(): number {
    return this.positionNow;
  }

  get playing(): boolean {
    return this.playingSince !== null;
  }

  get speed(): number {
    return this.speedNow;
  }

  get atEnd(): boolean {
    return this.positionNow >= this.total;
  }

  /** Starts (or restarts from the beginning, when at the end) at time `now` (ms). */
  play(now: number): void {
    if (this.atEnd) this.positionNow = 0;
    this.base = this.positionNow;
    this.playingSince = now;
  }

  pause(): void {
    this.playingSince = null;
  }

  /** One checkpoint on, paused. */
  step(): number {
    this.pause();
    this.positionNow = this.clamp(this.positionNow + 1);
    return this.positionNow;
  }

  /** Jumps to a checkpoint count (clamped to 0 … total); playing goes on from there. */
  scrub(position: number, now: number): number {
    this.positionNow = this.clamp(Math.round(position));
    if (this.playing) {
      this.base = this.positionNow;
      this.playingSince = now;
    }
    return this.positionNow;
  }

  setSpeed(speed: number, now: number): void {
    if (this.playing) {
      this.tick(now);
      this.base = this.positionNow;
      this.playingSince = now;
    }
    this.speedNow = checkSpeed(speed);
  }

  /** The position at time `now` while playing (whole checkpoints only); stops at the end. */
  tick(now: number): number {
    if (this.playingSince === null) return this.positionNow;
    const elapsed = Math.max(0, now - this.playingSince) / 1000;
    this.positionNow = this.clamp(Math.floor(this.base + elapsed * this.speedNow + 1e-9));
    if (this.atEnd) this.pause();
    return this.positionNow;
  }

  private clamp(n: number): number {
    return Math.min(this.total, Math.max(0, n));
  }
}

function checkSpeed(speed: number): number {
  if (!(Number.isFinite(speed) && speed > 0))
    throw new Error(`replay speed must be a positive number of checkpoints per second, got ${speed}`);
  return speed;
}
