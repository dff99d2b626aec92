import type { HMMParams } from './types.ts';

/**
 * Minimum-cost assignment (Hungarian algorithm, O(n³)) on a rectangular cost matrix with
 * rows ≤ columns. Returns, for each row, its column.
 */
export function hungarian(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  if (n === 0) return [];
  const m = cost[0].length;
  if (m < n) throw new Error(`hungarian: ${n} rows but only ${m} columns`);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // column -> row (1-based), 0 = free
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToCol = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j] !== 0) rowToCol[p[j] - 1] = j - 1;
  return rowToCol;
}

function sqDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/**
 * Matches a new fit's states to a reference fit's by their means (Hungarian on squared Euclidean
 * distance). Returns `order`: new state order[i] plays the role of reference state i; states beyond
 * the reference's count keep their relative order after the matched ones.
 */
export function matchStates(reference: HMMParams, candidate: HMMParams): number[] {
  const kr = reference.means.length;
  const kc = candidate.means.length;
  if (kc <= kr) {
    // Each candidate state finds a distinct reference slot; slots left over are dropped.
    const cost = candidate.means.map((m) => reference.means.map((r) => sqDistance(m, r)));
    const slot = hungarian(cost);
    return Array.from({ length: kc }, (_, i) => i).sort((a, b) => slot[a] - slot[b]);
  }
  const cost = reference.means.map((r) => candidate.means.map((m) => sqDistance(m, r)));
  const matched = hungarian(cost);
  const rest = Array.from({ length: kc }, (_, i) => i).filter((i) => !matched.includes(i));
  return [...matched, ...rest];
}

/** The same model with its states renumbered: new state i is old state order[i]. */
export function permuteParams(p: HMMParams, order: readonly number[]): HMMParams {
  if (order.length !== p.startprob.length || new Set(order).size !== order.length) {
    throw new Error('permuteParams: order must be a permutation of the states');
  }
  return {
    startprob: order.map((i) => p.startprob[i]),
    transmat: order.map((i) => order.map((j) => p.transmat[i][j])),
    means: order.map((i) => p.means[i].slice()),
    covars: order.map((i) => p.covars[i].map((r) => r.slice())),
  };
}

/** Renumbers a state path after permuteParams with the same order. */
export function permutePath(path: ArrayLike<number>, order: readonly number[]): number[] {
  const inverse = new Array<number>(order.length);
  order.forEach((old, i) => (inverse[old] = i));
  return Array.from(path, (s) => inverse[s]);
}
