import { describe, expect, it } from 'vitest';
import { viterbiPath } from '../../../src/analysis/hmm/viterbi.ts';
import { createRng } from '../../../src/numeric/rng.ts';

/** The best path by enumerating all K^T of them; ties go to the lexicographically first path. */
function bruteForce(
  logB: Float64Array,
  t: number,
  start: Float64Array,
  trans: Float64Array,
): { path: number[]; logProbability: number } {
  const k = start.length;
  let best = { path: [] as number[], logProbability: -Infinity };
  const path = new Array<number>(t).fill(0);
  for (let code = 0; code < k ** t; code++) {
    let c = code;
    for (let i = t - 1; i >= 0; i--) {
      path[i] = c % k;
      c = Math.floor(c / k);
    }
    let lp = Math.log(start[path[0]]) + logB[path[0]];
    for (let i = 1; i < t; i++) lp += Math.log(trans[path[i - 1] * k + path[i]]) + logB[i * k + path[i]];
    if (lp > best.logProbability) best = { path: path.slice(), logProbability: lp };
  }
  return best;
}

function randomModel(k: number, t: number, seed: number) {
  const rng = createRng(seed, 'viterbi');
  const logB = Float64Array.from({ length: t * k }, () => -10 * rng.next());
  const start = Float64Array.from(rng.dirichlet(new Array(k).fill(1)));
  const trans = Float64Array.from(Array.from({ length: k }, () => rng.dirichlet(new Array(k).fill(1))).flat());
  return { logB, start, trans };
}

describe('viterbiPath', () => {
  it('finds the most probable path and its log-probability, against enumeration of every path', () => {
    for (const [k, t] of [
      [1, 5],
      [2, 9],
      [3, 6],
      [4, 5],
    ]) {
      for (let seed = 0; seed < 10; seed++) {
        const { logB, start, trans } = randomModel(k, t, seed * 10 + k);
        const r = viterbiPath(logB, t, start, trans);
        const b = bruteForce(logB, t, start, trans);
        expect(Array.from(r.path)).toEqual(b.path);
        expect(Math.abs(r.logProbability - b.logProbability)).toBeLessThan(1e-10);
      }
    }
  });

  it('never takes a transition of probability 0, even when the emissions pull that way', () => {
    const k = 2;
    const start = Float64Array.from([1, 0]);
    const trans = Float64Array.from([0.5, 0.5, 0, 1]); // state 1 is absorbing
    // emissions favour 1, 0, 1, 0: once in state 1 the path must stay
    const logB = Float64Array.from([0, -5, -5, 0, -1, 0, 0, -1]);
    const r = viterbiPath(logB, 4, start, trans);
    const b = bruteForce(logB, 4, start, trans);
    expect(Array.from(r.path)).toEqual(b.path);
    for (let i = 1; i < 4; i++) expect(trans[r.path[i - 1] * k + r.path[i]]).toBeGreaterThan(0);
    expect(r.logProbability).toBeCloseTo(b.logProbability, 12);
  });

  it('breaks ties towards the lowest state index, as hmmlearn does', () => {
    const k = 3;
    const t = 4;
    const r = viterbiPath(
      new Float64Array(t * k),
      t,
      new Float64Array(k).fill(1 / k),
      new Float64Array(k * k).fill(1 / k),
    );
    expect(Array.from(r.path)).toEqual([0, 0, 0, 0]);
    expect(r.logProbability).toBeCloseTo(t * Math.log(1 / 3), 12);
  });

  it('a single checkpoint takes the best start × emission', () => {
    const r = viterbiPath(
      Float64Array.from([-3, -1, -2]),
      1,
      Float64Array.from([0.2, 0.3, 0.5]),
      new Float64Array(9).fill(1 / 3),
    );
    expect(Array.from(r.path)).toEqual([1]);
    expect(r.logProbability).toBeCloseTo(Math.log(0.3) - 1, 14);
  });
});
