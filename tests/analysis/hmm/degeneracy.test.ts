import { describe, expect, it } from 'vitest';
import {
  describeFinding,
  findDegenerateStates,
  formatProbability,
  renumberFindings,
} from '../../../src/analysis/index.ts';

/** A path that sits in `a`, alternates b, c, b, c… for `n` checkpoints, then sits in `d`. */
function alternatingPath(a: number, b: number, c: number, d: number, n: number): number[] {
  return [...new Array(20).fill(a), ...Array.from({ length: n }, (_, t) => (t % 2 ? c : b)), ...new Array(20).fill(d)];
}

describe('degenerate states', () => {
  const alternating = [
    [0.9, 0.1, 0, 0],
    [0, 0.02, 0.97, 0.01],
    [0, 0.99999, 0.00001, 0],
    [0, 0, 0, 1],
  ];

  it('flags two states that swap at every checkpoint, with their probabilities, dwell and runs', () => {
    const paths = Array.from({ length: 10 }, () => alternatingPath(0, 1, 2, 3, 30));
    const found = findDegenerateStates(alternating, paths);
    expect(found).toEqual([
      { kind: 'alternation', states: [1, 2], meanDwell: [1, 1], runs: 10, nRuns: 10, probabilities: [0.97, 0.99999] },
    ]);
    expect(describeFinding(found[0])).toBe(
      'states 1 and 2 alternate (1→2 with probability 0.970, 2→1 with 0.99999; mean dwell 1.0 and 1.0 checkpoints; 10 of 10 runs visit them)',
    );
    // The flat row-major form gives the same answer.
    expect(findDegenerateStates(alternating.flat(), paths)).toEqual(found);
  });

  it('leaves sticky states alone, however many runs visit them', () => {
    const sticky = [
      [0.95, 0.05, 0],
      [0, 0.95, 0.05],
      [0, 0, 1],
    ];
    const paths = Array.from({ length: 8 }, () => [
      ...new Array(30).fill(0),
      ...new Array(30).fill(1),
      ...new Array(30).fill(2),
    ]);
    expect(findDegenerateStates(sticky, paths)).toEqual([]);
  });

  it('flags a state that most runs visit for about one checkpoint at a time, but not one few runs touch', () => {
    const k3 = [
      [0.9, 0.1, 0],
      [0.5, 0, 0.5],
      [0, 0, 1],
    ];
    const brief = [...new Array(30).fill(0), 1, ...new Array(10).fill(0), 1, ...new Array(30).fill(2)];
    const plain = [...new Array(40).fill(0), ...new Array(30).fill(2)];
    const most = [...new Array(6).fill(brief), ...new Array(4).fill(plain)];
    expect(findDegenerateStates(k3, most)).toEqual([
      { kind: 'flicker', states: [1], meanDwell: [1], runs: 6, nRuns: 10 },
    ]);
    const few = [...new Array(2).fill(brief), ...new Array(8).fill(plain)];
    expect(findDegenerateStates(k3, few)).toEqual([]);
  });

  it('needs both directions likely for an alternation', () => {
    const oneWay = alternating.map((r) => [...r]);
    oneWay[2] = [0, 0.3, 0.7, 0];
    const paths = Array.from({ length: 10 }, () => alternatingPath(0, 1, 2, 3, 30));
    // Short visits remain, so both states still count as flickering.
    expect(findDegenerateStates(oneWay, paths).map((f) => [f.kind, f.states])).toEqual([
      ['flicker', [1]],
      ['flicker', [2]],
    ]);
  });

  it('renumbers findings, lowest state of a pair first', () => {
    const paths = Array.from({ length: 10 }, () => alternatingPath(0, 1, 2, 3, 30));
    const [f] = findDegenerateStates(alternating, paths);
    // New state i is old state order[i]: old 1 → new 3, old 2 → new 0.
    const [g] = renumberFindings([f], [2, 0, 3, 1]);
    expect(g.states).toEqual([0, 3]);
    expect(g.probabilities).toEqual([0.99999, 0.97]);
  });

  it('prints probabilities near 1 with the digits that matter', () => {
    expect(formatProbability(0.97)).toBe('0.970');
    expect(formatProbability(0.99999)).toBe('0.99999');
    expect(formatProbability(0.9995)).toBe('0.9995');
    expect(formatProbability(1 - 1e-9)).toBe('1 − 1e-9');
    expect(formatProbability(1)).toBe('1.000');
    expect(formatProbability(NaN)).toBe('—');
  });
});
