/**
 * A replay through the live path (warm refits and full selections as the RefitScheduler asks, with the real
 * analysis) ends on the full analysis of the recording: same K, states, edges, detours and paths.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRuns, resolveSettings, type AnalysisReport } from '../../src/analysis/index.ts';
import { mapDifference } from '../../src/replay/sameMap.ts';
import { optionsOfSettings, replayLive, type AnalysisPort, type ReplayEvent } from '../../src/replay/replayLive.ts';
import { forkingRecording, inProcess, REPLAY_OPTIONS } from './fixtures.ts';

describe('replayLive', () => {
  it('the last replayed map equals the full analysis of the recording; every count from the first fit has a map', async () => {
    const recording = forkingRecording();
    const events: ReplayEvent[] = [];
    const { log, final, feed } = await replayLive(recording, inProcess, REPLAY_OPTIONS, {
      onEvent: (e) => events.push(e),
    });
    const full = analyzeRuns(recording, REPLAY_OPTIONS);
    expect(full.map.shape).toBe('forking');
    expect(mapDifference(final!, full)).toBeNull();
    expect(log.at(feed.total)).toBe(final);
    expect(log.counts()).toEqual(Array.from({ length: 14 }, (_, i) => i + 3));
    // Both kinds of refit ran, as in training; the last was the final full selection on all the data.
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['full', 'warm']));
    expect(events.at(-1)).toMatchObject({ checkpoints: 16, kind: 'full', shown: true });
    expect(log.forkVisibility(16).first).not.toBeNull();
  });

  it('optionsOfSettings gives back the settings an analysis recorded', () => {
    const report = { settings: resolveSettings({ ...REPLAY_OPTIONS, states: 4, threshold: 0.7 }, ['f0']) };
    expect(resolveSettings(optionsOfSettings(report.settings), ['f0'])).toEqual(report.settings);
    const auto = resolveSettings({}, ['l2']);
    expect(optionsOfSettings(auto).states).toBeUndefined();
    expect(resolveSettings(optionsOfSettings(auto), ['l2'])).toEqual(auto);
  });

  it('a failing warm refit gives way to a full selection and the replay goes on', async () => {
    let warmCalls = 0;
    const flaky: AnalysisPort = {
      full: inProcess.full,
      warm: async (b, p, o) => {
        if (++warmCalls === 2) throw new Error('worker lost');
        return inProcess.warm(b, p, o);
      },
    };
    const { final } = await replayLive(forkingRecording(), flaky, REPLAY_OPTIONS);
    expect(mapDifference(final as AnalysisReport, analyzeRuns(forkingRecording(), REPLAY_OPTIONS))).toBeNull();
  });
});
