import { describe, expect, it } from 'vitest';
import { analyzeRuns, permuteParams } from '../../src/analysis/index.ts';
import { branchingStates, mapDifference, mapSignature } from '../../src/replay/sameMap.ts';
import { forkingRecording, REPLAY_OPTIONS } from './fixtures.ts';

describe('sameMap', () => {
  const recording = forkingRecording();
  const base = analyzeRuns(recording, REPLAY_OPTIONS);

  it('one analysis with other state identities (an earlier fit kept as the identities) is the same map', () => {
    const k = base.selection.chosenK;
    const reversed = Array.from({ length: k }, (_, i) => k - 1 - i);
    const renumbered = analyzeRuns(recording, {
      ...REPLAY_OPTIONS,
      previous: { params: permuteParams(base.model.params, reversed), features: base.features },
    });
    // States are numbered by first visit in every analysis (docs/method.md §7); the earlier fit moves identities.
    const identities = (r: typeof base) => r.map.nodes.map((n) => n.identity);
    expect(identities(renumbered)).not.toEqual(identities(base));
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

describe('branchingStates', () => {
  const withEdges = (edges: [number, number][]) =>
    ({ map: { edges: edges.map(([from, to]) => ({ from, to })) } }) as unknown as Parameters<typeof branchingStates>[0];

  it('a state with two successors branches; a cycle, a chain and self-loops do not', () => {
    expect(
      branchingStates(
        withEdges([
          [0, 1],
          [1, 0],
        ]),
      ),
    ).toEqual([]);
    expect(
      branchingStates(
        withEdges([
          [0, 0],
          [0, 1],
          [1, 2],
        ]),
      ),
    ).toEqual([]);
    expect(
      branchingStates(
        withEdges([
          [2, 0],
          [0, 1],
          [0, 2],
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toEqual([0, 2]);
  });

  it('runs sampled from an HMM that forks, fitted at its K, branch at its first state', () => {
    const report = analyzeRuns(forkingRecording(), { ...REPLAY_OPTIONS, states: 4 });
    const first = report.map.nodes.reduce((a, b) => (b.meanFirstVisit < a.meanFirstVisit ? b : a)).state;
    expect(branchingStates(report)).toEqual([first]);
  });
});
