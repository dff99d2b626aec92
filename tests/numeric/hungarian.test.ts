import { describe, expect, it } from 'vitest';
import { hungarian } from '../../src/numeric/hungarian.ts';
import { createRng } from '../../src/numeric/rng.ts';

/** Every injective map of n rows into m columns (m ≥ n), as row → column arrays. */
function* injections(n: number, m: number, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === n) {
    yield prefix.slice();
    return;
  }
  for (let j = 0; j < m; j++) {
    if (prefix.includes(j)) continue;
    prefix.push(j);
    yield* injections(n, m, prefix);
    prefix.pop();
  }
}

const costOf = (cost: number[][], assignment: number[]) => assignment.reduce((s, j, i) => s + cost[i][j], 0);

function bruteForceMinimum(cost: number[][]): number {
  let best = Infinity;
  for (const a of injections(cost.length, cost[0].length)) best = Math.min(best, costOf(cost, a));
  return best;
}

function expectValidOptimal(cost: number[][]): number[] {
  const a = hungarian(cost);
  expect(a.length).toBe(cost.length);
  expect(new Set(a).size).toBe(a.length);
  a.forEach((j) => expect(j >= 0 && j < cost[0].length).toBe(true));
  const best = bruteForceMinimum(cost);
  expect(Math.abs(costOf(cost, a) - best)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(best)));
  return a;
}

describe('hungarian', () => {
  it('square cases n = 1..7 against brute force over all permutations', () => {
    for (let n = 1; n <= 7; n++) {
      for (let trial = 0; trial < (n <= 5 ? 20 : 4); trial++) {
        const rng = createRng(n, 'square', trial);
        expectValidOptimal(Array.from({ length: n }, () => Array.from({ length: n }, () => rng.next() * 100 - 30)));
      }
    }
  });

  it('rectangular cases (fewer rows than columns) against brute force over all injections', () => {
    for (const [n, m] of [
      [1, 5],
      [2, 7],
      [3, 4],
      [4, 7],
      [5, 6],
      [6, 7],
    ]) {
      for (let trial = 0; trial < 5; trial++) {
        const rng = createRng(n * 10 + m, 'rect', trial);
        expectValidOptimal(Array.from({ length: n }, () => Array.from({ length: m }, () => rng.next() * 10)));
      }
    }
  });

  it('integer costs with many ties, and equal rows: still optimal and a valid assignment', () => {
    for (let trial = 0; trial < 20; trial++) {
      const rng = createRng(99, trial);
      const n = 2 + (trial % 5);
      expectValidOptimal(Array.from({ length: n }, () => Array.from({ length: n + (trial % 2) }, () => rng.int(3))));
    }
    expectValidOptimal([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it('squared distances between shuffled points recover the shuffle (the use in state matching)', () => {
    const rng = createRng(4);
    const points = Array.from({ length: 7 }, () => [rng.normal() * 5, rng.normal() * 5]);
    const perm = [3, 0, 6, 1, 5, 2, 4];
    const moved = perm.map((p) => points[p].map((x) => x + 1e-3 * rng.normal()));
    const cost = points.map((p) => moved.map((q) => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2));
    const a = expectValidOptimal(cost);
    a.forEach((j, i) => expect(perm[j]).toBe(i));
  });

  it('costs of very different magnitudes, and negative costs', () => {
    expect(
      hungarian([
        [1e12, 1],
        [1, 1e12],
      ]),
    ).toEqual([1, 0]);
    expect(
      hungarian([
        [-5, 0],
        [0, -5],
      ]),
    ).toEqual([0, 1]);
  });

  it('no rows gives no assignment; more rows than columns is refused with a message', () => {
    expect(hungarian([])).toEqual([]);
    expect(() => hungarian([[1], [2]])).toThrow('hungarian: 2 rows but only 1 columns');
  });
});
