/**
 * Feeds a recording into a bundle that grows in place, as training grows its bundle: the live analysis holds
 * that one object and sees new rows appear (or disappear, when the replay is scrubbed back). The rows are the
 * recording's own values in the recording's order (src/replay/prefix.ts says what checkpoint n means).
 */
import type { Checkpoints, Run, RunBundle } from '../io/runBundle.ts';
import { checkpointSteps, lastStepOf, rowsUpTo } from './prefix.ts';

export class ReplayFeed {
  readonly steps: number[];
  /** The growing bundle: its run objects and column arrays stay the same objects for the whole replay. */
  readonly live: RunBundle;
  private positionNow = 0;

  constructor(readonly recording: RunBundle) {
    this.steps = checkpointSteps(recording);
    this.live = {
      format: recording.format,
      groups: recording.groups.map((g) => ({
        ...g,
        runs: g.runs.map((r) => {
          const checkpoints = Object.create(null) as Checkpoints;
          for (const c of Object.keys(r.checkpoints)) checkpoints[c] = [];
          const { diverged: _d, ...rest } = r;
          return { ...rest, checkpoints } as Run;
        }),
      })),
    };
  }

  /** Checkpoints in the recording. */
  get total(): number {
    return this.steps.length;
  }

  /** Checkpoints fed so far. */
  get position(): number {
    return this.positionNow;
  }

  /** Grows or cuts the live bundle to the first `n` checkpoints; the number of rows added (negative: removed). */
  seek(n: number): number {
    const lastStep = lastStepOf(this.steps, n);
    let delta = 0;
    this.recording.groups.forEach((g, gi) =>
      g.runs.forEach((source, ri) => {
        const target = this.live.groups[gi].runs[ri];
        const want = rowsUpTo(source.checkpoints.step, lastStep);
        const have = target.checkpoints.step.length;
        for (const c of Object.keys(source.checkpoints)) {
          const to = target.checkpoints[c];
          if (want > have) to.push(...source.checkpoints[c].slice(have, want));
          else to.length = want;
        }
        delta += want - have;
        if (source.diverged && source.diverged.step <= lastStep) target.diverged = { ...source.diverged };
        else delete target.diverged;
      }),
    );
    this.positionNow = n;
    return delta;
  }
}
