import { createRng } from '../../src/numeric/index.ts';

export type ProblemKind = 'random' | 'degenerate' | 'sparse' | 'equal';

export interface TransportProblem {
  p: number[];
  q: number[];
  cost: number[][];
}

/**
 * A seeded transport problem of size n×m. 'degenerate' uses small whole-number masses and costs, so partial
 * sums coincide (degenerate pivots) and many plans tie; 'sparse' puts zero mass on ~half the entries;
 * 'equal' moves a distribution onto itself (optimum 0 when the diagonal is free).
 */
export function transportProblem(seed: number, n: number, m: number, kind: ProblemKind): TransportProblem {
  const rng = createRng(seed, `transport-${kind}`);
  const int = (k: number) => Math.floor(rng.next() * k);
  const masses = (len: number): number[] => {
    const w = Array.from({ length: len }, () => {
      if (kind === 'degenerate') return int(4);
      if (kind === 'sparse') return rng.next() < 0.5 ? 0 : rng.next();
      return rng.next();
    });
    if (!w.some((x) => x > 0)) w[int(len)] = 1;
    return w;
  };
  const total = [1, 7.5, 1e-3, 1e6][int(4)];
  const normalize = (w: number[]) => {
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((x) => (x / s) * total);
  };
  const p = normalize(masses(n));
  const q = kind === 'equal' && n === m ? p.slice() : normalize(masses(m));
  let cost: number[][];
  if (kind === 'degenerate') {
    cost = Array.from({ length: n }, () => Array.from({ length: m }, () => int(3)));
  } else {
    // Distances between points in the plane, some of them repeated (zero distance between distinct states).
    const points = (len: number) =>
      Array.from({ length: len }, () => (rng.next() < 0.2 ? [0, 0] : [rng.normal() * 3, rng.normal() * 3]));
    const a = points(n);
    const b = kind === 'equal' ? a.slice(0, m).concat(points(Math.max(0, m - n))) : points(m);
    cost = a.map((x) => b.map((y) => Math.hypot(x[0] - y[0], x[1] - y[1])));
  }
  return { p, q, cost };
}
