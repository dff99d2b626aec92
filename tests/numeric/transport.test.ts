import { describe, expect, it } from 'vitest';
import { hungarian } from '../../src/numeric/hungarian.ts';
import { createRng } from '../../src/numeric/rng.ts';
import { earthMoversDistance } from '../../src/numeric/transport.ts';

/** W1 between two discrete distributions on the real line: ∫ |F_p − F_q| dx (exact for |x − y| ground cost). */
function lineDistance(xs: number[], p: number[], ys: number[], q: number[]): number {
  const events = [...xs.map((x, i) => ({ x, w: p[i] })), ...ys.map((y, j) => ({ x: y, w: -q[j] }))].sort(
    (a, b) => a.x - b.x,
  );
  let cdf = 0;
  let total = 0;
  for (let i = 0; i < events.length - 1; i++) {
    cdf += events[i].w;
    total += Math.abs(cdf) * (events[i + 1].x - events[i].x);
  }
  return total;
}

const normalize = (w: number[]) => {
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
};

describe('earthMoversDistance', () => {
  it('on the line with |x − y| cost equals the CDF formula, for supports of different sizes', () => {
    for (let trial = 0; trial < 30; trial++) {
      const rng = createRng(trial, 'line');
      const n = 1 + rng.int(6);
      const m = 1 + rng.int(6);
      const xs = Array.from({ length: n }, () => rng.next() * 10);
      const ys = Array.from({ length: m }, () => rng.next() * 10);
      const p = normalize(Array.from({ length: n }, () => rng.next() + 0.01));
      const q = normalize(Array.from({ length: m }, () => rng.next() + 0.01));
      const cost = xs.map((x) => ys.map((y) => Math.abs(x - y)));
      expect(Math.abs(earthMoversDistance(p, q, cost) - lineDistance(xs, p, ys, q))).toBeLessThan(1e-10);
    }
  });

  it('between uniform distributions on n points equals the optimal assignment cost / n (Birkhoff), any cost matrix', () => {
    for (let trial = 0; trial < 20; trial++) {
      const rng = createRng(trial, 'uniform');
      const n = 1 + rng.int(7);
      const cost = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.next() * 5));
      const a = hungarian(cost);
      const assignment = a.reduce((s, j, i) => s + cost[i][j], 0) / n;
      const u = new Array(n).fill(1 / n);
      expect(Math.abs(earthMoversDistance(u, u, cost) - assignment)).toBeLessThan(1e-10);
    }
  });

  it('is 0 between a distribution and itself under a cost with a zero diagonal, and symmetric for a symmetric cost', () => {
    const p = [0.1, 0.4, 0.2, 0.3];
    const q = [0.25, 0.25, 0.4, 0.1];
    const cost = p.map((_, i) => p.map((__, j) => (i - j) ** 2));
    expect(earthMoversDistance(p, p, cost)).toBeCloseTo(0, 14);
    expect(Math.abs(earthMoversDistance(p, q, cost) - earthMoversDistance(q, p, cost))).toBeLessThan(1e-12);
  });

  it('moves all mass of a point distribution along the only row of costs', () => {
    expect(earthMoversDistance([1], [0.2, 0.3, 0.5], [[4, 1, 2]])).toBeCloseTo(0.2 * 4 + 0.3 + 0.5 * 2, 14);
  });

  it('accepts unnormalized masses that agree (counts), and scales the result with the mass', () => {
    const cost = [
      [0, 1],
      [1, 0],
    ];
    expect(earthMoversDistance([3, 1], [1, 3], cost)).toBeCloseTo(2, 12);
    expect(earthMoversDistance([0.75, 0.25], [0.25, 0.75], cost)).toBeCloseTo(0.5, 12);
  });

  it('refuses distributions of different or zero mass with a message', () => {
    expect(() =>
      earthMoversDistance(
        [0.5, 0.5],
        [0.5, 0.6],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    ).toThrow('transport needs two distributions of equal positive mass, got 1 and 1.1');
    expect(() =>
      earthMoversDistance(
        [0, 0],
        [0, 0],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    ).toThrow(/equal positive mass, got 0 and 0/);
  });
});
