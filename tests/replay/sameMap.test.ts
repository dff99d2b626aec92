import { describe, expect, it } from 'vitest';
import { analyzeRuns, permuteParams } from '../../src/analysis/index.ts';
import { mapDifference, mapSignature } from '../../src/replay/sameMap.ts';
import { forkingRecording, REPLAY_OPTIONS } from './fixtures.ts';

describe('sameMap', () => {
  const recording = forkingRecording();
  const base = analyzeRuns(recording, REPLAY_OPTIONS);

  it('one analysis with its states numbered differently (an earlier fit kept as the numbering) is the same map', () => {
    const k = base.selection.chosenK;
    const reversed = Array.from({ length: k }, (_, i) => k - 1 - i);
    const renumbered = analyzeRuns(recording, {
      ...REPLAY_OPTIONS,
      previous: { params: permuteParams(base.model.params, reversed), features: base.features },
    });
    expect(renumbered.runs[0].path).not.toEqual(base.runs[0].path);
    expect(mapDifference(renumbered, base)).toBeNull();
    expect(mapSignature(renumbered)).toEqual(mapSignature(base));
  });

  it('names the first difference: K, then shape, states, edges, detours, paths', () => {
    const other = analyzeRuns(recording, { ...REPLAY_OPTIONS, states: base.selection.chosenK + 1 });
    expect(mapDifference(other, base)).toMatch(/^K differs: \d vs \d$/);
    const cut = analyzeRuns(
      { ...recording, groups: [{ ...recording.groups[0], runs: recording.groups[0].runs.slice(0, 20) }] },
      { ...REPLAY_OPTIONS, states: base.selection.chosenK },
    );
    expect(mapDifference(cut, base)).toMatch(/differ/);
  });
});
