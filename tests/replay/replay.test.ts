/**
 * The replay as the page drives it, with the live path played by the real analysis in this thread: moves say when to
 * show a map the replay already had, scrubbing back and forward again shows the same map, and the end asks for the
 * final full selection.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { Replay, type ReplayMove } from '../../src/replay/replay.ts';
import { mapDifference } from '../../src/replay/sameMap.ts';
import { RefitScheduler } from '../../src/ui/refitScheduler.ts';
import { previousOf } from '../../src/replay/replayLive.ts';
import { prefixBundle } from '../../src/replay/prefix.ts';
import { forkingRecording, inProcess, REPLAY_OPTIONS } from './fixtures.ts';

/** What the page does with a move: show the cached map, or refit as training would (LiveAnalysis, awaited here). */
async function follow(
  replay: Replay,
  move: ReplayMove | null,
  state: { shown: AnalysisReport | null; scheduler: RefitScheduler },
) {
  if (!move) return;
  if (move.cached) {
    state.shown = move.cached;
    state.scheduler.reset();
    state.scheduler.adopt(move.to);
    return;
  }
  if (move.backwards) state.scheduler.reset();
  if (move.finished) state.scheduler.wantFull();
  for (let next = state.scheduler.next(move.to); next; next = state.scheduler.next(move.to)) {
    const kind = next === 'warm' && state.shown ? 'warm' : 'full';
    state.scheduler.started(kind, move.to);
    const report =
      kind === 'warm'
        ? await inProcess.warm(replay.bundle, state.shown!, REPLAY_OPTIONS)
        : await inProcess.full(replay.bundle, {
            ...REPLAY_OPTIONS,
            ...(state.shown ? { previous: previousOf(state.shown) } : {}),
          });
    if (state.scheduler.finished(kind, move.to, true)) {
      state.shown = report;
      replay.shown(report, move.to);
    }
  }
}

describe('Replay', () => {
  it('scrubbing back and then forward gives the same map, and the data the live analysis reads follow', async () => {
    const recording = forkingRecording();
    const replay = new Replay(recording, 4);
    const state = { shown: null as AnalysisReport | null, scheduler: new RefitScheduler() };
    await follow(replay, replay.play(0), state);
    for (let t = 250; !replay.clock.atEnd && t < 10_000; t += 250) await follow(replay, replay.tick(t), state);
    expect(replay.feed.position).toBe(16);
    const atEnd = state.shown!;
    const at9 = replay.log.at(9)!;
    expect(at9).not.toBeNull();

    const back = replay.scrub(9, 20_000)!;
    expect(back).toMatchObject({ from: 16, to: 9, backwards: true, finished: false });
    expect(back.cached).toBe(at9);
    expect(replay.bundle).toStrictEqual(prefixBundle(recording, 9));
    await follow(replay, back, state);

    const forward = replay.scrub(16, 21_000)!;
    expect(forward).toMatchObject({ from: 9, to: 16, backwards: false, finished: true });
    await follow(replay, forward, state);
    expect(state.shown).toBe(atEnd);
    expect(mapDifference(state.shown!, atEnd)).toBeNull();

    // A count never visited (playing skipped none here, so cut the log) is refitted, from the data as they were then.
    replay.log.clear();
    const step = replay.scrub(12, 22_000)!;
    expect(step.cached).toBeNull();
    await follow(replay, step, state);
    expect(replay.log.at(12)).not.toBeNull();
    expect(replay.forkSentence()).toBe(
      replay.log.at(12)!.map.shape === 'forking'
        ? 'The fork was first visible at checkpoint 12 of 16.'
        : 'No fork was visible in 16 checkpoints.',
    );
  });

  it('step moves one checkpoint and pauses; a move to where it already is does nothing', () => {
    const replay = new Replay(forkingRecording(), 2);
    expect(replay.step()).toMatchObject({ from: 0, to: 1, cached: null, backwards: false, finished: false });
    expect(replay.clock.playing).toBe(false);
    expect(replay.scrub(1, 0)).toBeNull();
    replay.setSpeed(8, 0);
    expect(replay.clock.speed).toBe(8);
    expect(replay.bundle.groups[0].runs[0].checkpoints.step).toEqual([0]);
  });
});
