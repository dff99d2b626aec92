import { describe, expect, it } from 'vitest';
import { prefixBundle } from '../../src/replay/prefix.ts';
import { ReplayFeed } from '../../src/replay/replayFeed.ts';
import { forkingRecording, ragged } from './fixtures.ts';

describe('ReplayFeed', () => {
  it('feeds the same checkpoints in the same order as the recording, one count at a time', () => {
    const recording = forkingRecording();
    const feed = new ReplayFeed(recording);
    expect(feed.total).toBe(16);
    const fed: number[][] = [];
    for (let n = 1; n <= feed.total; n++) {
      const before = feed.live.groups[0].runs.map((r) => r.checkpoints.step.length);
      expect(feed.seek(n)).toBe(recording.groups[0].runs.length);
      fed.push(feed.live.groups[0].runs.map((r, i) => r.checkpoints.step[before[i]]));
      expect(feed.live).toStrictEqual(prefixBundle(recording, n));
    }
    expect(fed).toEqual(Array.from({ length: 16 }, (_, t) => new Array(30).fill(t)));
    expect(feed.live).toEqual(recording); // the sampled runs' columns are plain objects, the feed's have no prototype
  });

  it('grows and cuts in place: the same run objects and arrays whichever way it moves', () => {
    const recording = ragged();
    const feed = new ReplayFeed(recording);
    const run = feed.live.groups[0].runs[1];
    const l2 = run.checkpoints.l2;
    expect(feed.seek(6)).toBe(9);
    expect(run.diverged).toEqual({ step: 20, reason: 'l2 not finite' });
    expect(feed.seek(1)).toBe(-8);
    expect(feed.live.groups[0].runs[1]).toBe(run);
    expect(run.checkpoints.l2).toBe(l2);
    expect(run.diverged).toBeUndefined();
    expect(feed.live).toStrictEqual(prefixBundle(recording, 1));
    feed.seek(4);
    expect(feed.live).toStrictEqual(prefixBundle(recording, 4));
    expect(feed.position).toBe(4);
    // The recording itself is never touched.
    const { analysis: _a, ...unchanged } = ragged();
    const { analysis: _b, ...now } = recording;
    expect(now).toStrictEqual(unchanged);
  });

  it('refuses a count outside the recording and stays where it was', () => {
    const feed = new ReplayFeed(ragged());
    feed.seek(2);
    expect(() => feed.seek(9)).toThrow('checkpoint 9 is outside the recording, which has 6');
    expect(feed.position).toBe(2);
  });
});
