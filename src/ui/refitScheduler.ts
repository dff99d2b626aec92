/**
 * When the live lab asks for which analysis. The page never waits for a fit: a warm refit at the current K follows
 * every few new checkpoints (one in flight at a time), and a full model selection reruns in the background once
 * the data have grown enough since the last one; each result replaces what is shown only if it is newer.
 */
export interface RefitPolicy {
  /** New checkpoints (of the longest run) before the next warm refit. */
  warmEvery: number;
  /** Growth of the data since the last full selection that calls for another (0.3 = 30% more checkpoints). */
  fullGrowth: number;
  /** Checkpoints per run before the first attempt (a run needs at least two to be a sequence at all). */
  minimum: number;
}

export const DEFAULT_POLICY: RefitPolicy = { warmEvery: 1, fullGrowth: 0.3, minimum: 3 };

export type RefitRequest = 'full' | 'warm' | null;

export class RefitScheduler {
  private fullInFlight: number | null = null;
  private warmInFlight: number | null = null;
  /** Checkpoints behind the report on show, and behind the last full selection that finished or failed. */
  private shown = -1;
  private lastFull = -1;
  private lastAttempt = -1;
  private hasReport = false;
  private fullWanted = false;
  /** Checkpoints behind the newest full selection taken; warm refits started before it came from an older model. */
  private shownFull = -1;
  private fullsTaken = 0;
  private warmBase = 0;

  constructor(private readonly policy: RefitPolicy = DEFAULT_POLICY) {}

  /**
   * What to start now that the data hold `checkpoints` rows. Mark it started with `started`. Below the minimum
   * only a full selection that was asked for starts (data that will not grow: the analysis then says why it cannot
   * make a map, instead of the page waiting for rows that never come).
   */
  next(checkpoints: number): RefitRequest {
    if (checkpoints < this.policy.minimum)
      return this.fullWanted && this.fullInFlight === null && checkpoints > this.lastAttempt ? 'full' : null;
    if (this.fullInFlight === null) {
      const first = !this.hasReport && checkpoints > this.lastAttempt;
      const grown =
        this.hasReport &&
        checkpoints >= Math.ceil(this.lastFull * (1 + this.policy.fullGrowth)) &&
        checkpoints > this.lastFull;
      const wanted = this.fullWanted && checkpoints > this.lastAttempt;
      if (first || grown || wanted) return 'full';
    }
    if (this.hasReport && this.warmInFlight === null && checkpoints - this.shown >= this.policy.warmEvery)
      return 'warm';
    return null;
  }

  /** Asks for one more full selection on the data as they stand (the end of training). */
  wantFull(): void {
    this.fullWanted = true;
  }

  started(kind: 'full' | 'warm', checkpoints: number): void {
    if (kind === 'full') {
      this.fullWanted = false;
      this.fullInFlight = checkpoints;
      this.lastAttempt = checkpoints;
    } else {
      this.warmInFlight = checkpoints;
      this.warmBase = this.fullsTaken;
    }
  }

  /** A result arrived; true when it should replace the report on show (it covers at least as much data). */
  finished(kind: 'full' | 'warm', checkpoints: number, ok: boolean): boolean {
    if (kind === 'full') {
      this.fullInFlight = null;
      if (ok) this.lastFull = checkpoints;
    } else this.warmInFlight = null;
    if (!ok) return false;
    // A full selection that finishes after warm refits on more data is still the better model (its K was chosen on
    // the data, theirs was kept): take it when it is at most one warm step behind, or newer than the last full
    // selection taken (checkpoints arrive faster than selections finish: a fast replay), then refit it warm on the
    // latest data. A warm refit started from an older model than the one now on show is dropped.
    const fresh =
      !this.hasReport ||
      (kind === 'full'
        ? checkpoints >= this.shown - this.policy.warmEvery || checkpoints > this.shownFull
        : checkpoints > this.shown && this.warmBase === this.fullsTaken);
    if (fresh) {
      this.shown = checkpoints;
      this.hasReport = true;
      if (kind === 'full') {
        this.shownFull = checkpoints;
        this.fullsTaken++;
      }
    }
    return fresh;
  }

  /** Forget everything (new data source). */
  reset(): void {
    this.fullInFlight = this.warmInFlight = null;
    this.shown = this.lastFull = this.lastAttempt = this.shownFull = -1;
    this.hasReport = false;
    this.fullWanted = false;
  }

  /** A report that came from elsewhere (a stored or precomputed one) is on show. */
  adopt(checkpoints: number): void {
    this.shown = checkpoints;
    this.hasReport = true;
  }
}
