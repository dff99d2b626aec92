/** A replay as a source of checkpoints: its options are the shipped analysis's, and every map on show is logged at its count. */
import { describe, expect, it } from 'vitest';
import { analyzeRuns } from '../../src/analysis/index.ts';
import { optionsOfSettings } from '../../src/replay/replayLive.ts';
import { ReplaySource } from '../../src/ui/replaySource.ts';
import { forkingRecording, ragged, REPLAY_OPTIONS } from '../replay/fixtures.ts';

describe('ReplaySource', () => {
  it("takes the shipped analysis's own options over the page's, and starts empty", () => {
    const recording = forkingRecording();
    const report = analyzeRuns(structuredClone(recording), REPLAY_OPTIONS);
    const source = new ReplaySource('r', recording, 'forking runs', report, 8);
    expect(source.kind).toBe('replay');
    expect(source.analysisOverrides).toEqual(optionsOfSettings(report.settings));
    expect(source.title).toBe('Replay: forking runs');
    expect(source.about).toMatch(/not training/);
    expect(source.replay.clock.speed).toBe(8);
    expect(source.bundle.groups[0].runs.every((r) => r.checkpoints.step.length === 0)).toBe(true);
    expect(new ReplaySource('s', recording, 'x', null).analysisOverrides).toEqual({});
  });

  it('logs a report at the checkpoint count it was made at, and knows the final full selection', () => {
    const recording = forkingRecording();
    const source = new ReplaySource('r', recording, 'forking runs', null);
    const total = source.replay.feed.total;
    source.replay.feed.seek(5);
    const early = analyzeRuns(structuredClone(source.bundle), REPLAY_OPTIONS);
    source.shown(early, 'full', 5);
    expect(source.replay.log.at(5)).toBe(early);
    expect(source.finalReport).toBeNull();
    source.replay.feed.seek(total);
    const warm = analyzeRuns(structuredClone(source.bundle), REPLAY_OPTIONS);
    source.shown(warm, 'warm', total);
    expect(source.finalReport).toBeNull();
    source.shown(warm, 'full', total);
    expect(source.finalReport).toBe(warm);
    // Nothing is logged for an empty bundle.
    source.shown(early, 'full', 0);
    expect(source.replay.log.counts()).toEqual([5, total]);
  });

  it('maps the rows of the longest run back to a checkpoint count when runs have different steps', () => {
    // Steps over all runs: 5, 10, 20, 30, 35, 40; the longest run (a/r0) has 1, 1, 2, 3, 3, 4 rows by then.
    const source = new ReplaySource('r', ragged(), 'ragged', null);
    expect(source.replay.feed.steps).toEqual([5, 10, 20, 30, 35, 40]);
    source.replay.feed.seek(2);
    expect(source.countOf(1)).toBe(2);
    source.replay.feed.seek(6);
    // A reply for 3 rows came back after the feed moved on: the last count with 3 rows.
    expect(source.countOf(3)).toBe(5);
    expect(source.countOf(4)).toBe(6);
    expect(source.countOf(9)).toBe(-1);
  });
});
