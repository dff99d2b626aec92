/**
 * Optimal transport between two discrete distributions with a ground-cost matrix (the earth mover's
 * distance), solved exactly by the transportation simplex (network simplex on the bipartite graph).
 *
 * Why it terminates — on every input, degenerate pivots, ties and zero masses included:
 *
 * 1. Exact arithmetic. Masses are rounded to whole units (each side sums to exactly MASS_UNITS = 2^45 by
 *    largest remainders) and costs to whole numbers (|c| ≤ 2^s with s ≤ 40, chosen so that every potential
 *    and reduced cost stays below 2^53). Every number the pivoting looks at — flows, θ, potentials, reduced
 *    costs — is a sum or difference of such integers below 2^53, so floating point computes it exactly, and
 *    the simplex method's exact-arithmetic theory applies to this code as written.
 * 2. Finitely many non-degenerate pivots. A pivot with θ > 0 lowers the objective Σ c̃·x (in units) by
 *    θ·|r| ≥ 1, so the objective never returns to an earlier value, and each value belongs to some basis
 *    (a spanning tree of n+m−1 cells), of which there are finitely many.
 * 3. Every run of degenerate pivots (θ = 0) is finite. After a degenerate pivot the entering cell is chosen
 *    by Bland's rule (the first cell, in row-major order, with a negative reduced cost), and the leaving cell
 *    is always the first of the tied candidates; so from its second pivot on, a degenerate run is the simplex
 *    method under Bland's rule, which cannot cycle (Bland 1977) and so, with finitely many bases, ends. Other
 *    pivots take the most negative reduced cost (Dantzig's rule), which needs far fewer pivots in practice.
 *
 * So the loop ends, at a basis with no negative reduced cost: optimal for the rounded problem, with the
 * potentials as the dual certificate.
 *
 * The optimal basis is then evaluated at the original masses (its tree carries them by peeling leaves), so
 * the plan's row and column sums are p and q to rounding, and the cost is that plan's cost under the
 * original costs; only if rounding to units moved a flow across zero are the unit flows used instead. The
 * basis is optimal for costs rounded to 2^-40 of the largest, so the cost is within about that fraction of
 * the largest cost from the true optimum. As a last line of defence
 * against a bug, more than `pivotLimit` pivots is an error, never a hang; no input reached in tests uses more
 * than a small fraction of it.
 */

/** Units of mass on each side after rounding. */
export const MASS_UNITS = 2 ** 45;

export interface TransportSolution {
  /** Σ plan·cost: the earth mover's distance. */
  cost: number;
  /** plan[i][j]: mass moved from source i to sink j (in the units of p). */
  plan: number[][];
  /** Dual potentials in cost units: cost[i][j] ≥ u[i] + v[j] everywhere, with equality where the plan moves mass. */
  u: number[];
  v: number[];
  /** Simplex pivots taken. */
  pivots: number;
}

/** The most pivots before the solver gives up with an error (the argument above says it never gets there). */
export function pivotLimit(n: number, m: number): number {
  return 64 * n * m * (n + m) + 1000;
}

/** Masses as whole units summing to exactly `total` (largest remainders; an entry with no mass stays at 0 when it can). */
function toUnits(w: readonly number[], sum: number, total: number): Float64Array {
  const units = new Float64Array(w.length);
  const frac = new Float64Array(w.length);
  let left = total;
  for (let i = 0; i < w.length; i++) {
    const exact = (w[i] / sum) * total;
    units[i] = Math.min(total, Math.floor(exact));
    frac[i] = exact - units[i];
    left -= units[i];
  }
  const order = Array.from(w, (_, i) => i).sort((a, b) => frac[b] - frac[a] || w[b] - w[a] || a - b);
  for (let r = 0; left > 0; r++) {
    units[order[r % order.length]]++;
    left--;
  }
  // Rounding in w/sum·total can overshoot by a unit or two: take them back from the largest entries.
  while (left < 0) {
    let big = 0;
    for (let i = 1; i < w.length; i++) if (units[i] > units[big]) big = i;
    units[big]--;
    left++;
  }
  return units;
}

function check(p: readonly number[], q: readonly number[], cost: readonly (readonly number[])[]): number {
  const n = p.length;
  const m = q.length;
  if (n === 0 || m === 0) throw new Error(`transport needs two non-empty distributions, got ${n} and ${m} entries`);
  for (const [name, w] of [['first', p] as const, ['second', q] as const]) {
    const bad = w.findIndex((x) => !(Number.isFinite(x) && x >= 0));
    if (bad >= 0)
      throw new Error(`transport needs non-negative finite masses; the ${name} distribution has ${w[bad]} at ${bad}`);
  }
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  if (
    !(sp > 0 && sq > 0 && Number.isFinite(sp) && Number.isFinite(sq)) ||
    Math.abs(sp - sq) > 1e-9 * Math.max(sp, sq)
  ) {
    throw new Error(`transport needs two distributions of equal positive mass, got ${sp} and ${sq}`);
  }
  if (cost.length !== n || cost.some((row) => row.length !== m))
    throw new Error(`transport needs a ${n}×${m} cost matrix`);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (!Number.isFinite(cost[i][j]))
        throw new Error(`transport needs finite costs; cost[${i}][${j}] is ${cost[i][j]}`);
    }
  }
  return sp;
}

/** Solves min Σ cost·plan over plans with row sums p and column sums q (equal total mass). */
export function solveTransport(
  p: readonly number[],
  q: readonly number[],
  cost: readonly (readonly number[])[],
): TransportSolution {
  const sp = check(p, q, cost);
  const n = p.length;
  const m = q.length;
  let cmax = 0;
  for (const row of cost) for (const c of row) cmax = Math.max(cmax, Math.abs(c));
  // Potentials are sums of at most n+m−1 costs and reduced costs add one more: (2(n+m)+1)·2^s < 2^53.
  const bits = Math.min(40, Math.floor(53 - Math.log2(2 * (n + m) + 1)) - 1);
  const scale = cmax > 0 ? 2 ** bits / cmax : 0;
  const c = cost.map((row) => row.map((x) => Math.round(x * scale)));
  const supply = toUnits(p, sp, MASS_UNITS);
  const sq = q.reduce((a, b) => a + b, 0);
  const demand = toUnits(q, sq, MASS_UNITS);
  // Entries without mass carry no flow; leaving them out removes most degenerate pivots.
  const rows = [...supply.keys()].filter((i) => supply[i] > 0);
  const cols = [...demand.keys()].filter((j) => demand[j] > 0);
  const sub = simplex(
    rows.map((i) => supply[i]),
    cols.map((j) => demand[j]),
    rows.map((i) => cols.map((j) => c[i][j])),
  );
  // Potentials for the left-out entries, as large as dual feasibility allows (exact: integers again).
  const u = new Array<number>(n).fill(NaN);
  const v = new Array<number>(m).fill(NaN);
  rows.forEach((i, a) => (u[i] = sub.u[a]));
  cols.forEach((j, b) => (v[j] = sub.v[b]));
  for (let j = 0; j < m; j++) if (Number.isNaN(v[j])) v[j] = Math.min(...rows.map((i) => c[i][j] - u[i]));
  for (let i = 0; i < n; i++) if (Number.isNaN(u[i])) u[i] = Math.min(...v.map((vj, j) => c[i][j] - vj));

  const toCost = cmax > 0 ? 1 / scale : 0;
  const plan = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  const exact = flowsOnBasis(
    sub.basic,
    rows.map((i) => p[i]),
    cols.map((j) => (q[j] * sp) / sq),
    cols.length,
  );
  // The optimal basis carries the original masses too, unless rounding moved a flow across zero.
  const useExact = exact.every((x) => x >= -1e-12 * sp);
  const toMass = sp / MASS_UNITS;
  let total = 0;
  rows.forEach((i, a) =>
    cols.forEach((j, b) => {
      const e = a * cols.length + b;
      const x = useExact ? Math.max(0, exact[e]) : sub.flow[e] * toMass;
      plan[i][j] = x;
      total += x * cost[i][j];
    }),
  );
  return { cost: total, plan, u: u.map((x) => x * toCost), v: v.map((x) => x * toCost), pivots: sub.pivots };
}

/**
 * The flows a basis (a spanning tree of cells) gives real masses, by peeling leaves: a leaf's one cell
 * carries all its remaining mass. Used to evaluate the optimal basis found on whole units at the original
 * masses, so the returned cost is as exact as floating point allows.
 */
function flowsOnBasis(
  basic: Uint8Array,
  supply: readonly number[],
  demand: readonly number[],
  m: number,
): Float64Array {
  const n = supply.length;
  const left = [...supply, ...demand];
  const flow = new Float64Array(n * m);
  const degree = new Int32Array(n + m);
  const open = new Set<number>();
  for (let e = 0; e < n * m; e++) {
    if (!basic[e]) continue;
    open.add(e);
    degree[Math.floor(e / m)]++;
    degree[n + (e % m)]++;
  }
  const ends = (e: number): [number, number] => [Math.floor(e / m), n + (e % m)];
  while (open.size > 0) {
    let leafCell = -1;
    let leaf = -1;
    for (const e of open) {
      const [r, c] = ends(e);
      if (degree[r] === 1 || degree[c] === 1) {
        leafCell = e;
        leaf = degree[r] === 1 ? r : c;
        break;
      }
    }
    const [r, c] = ends(leafCell);
    const other = leaf === r ? c : r;
    flow[leafCell] = left[leaf];
    left[other] -= left[leaf];
    left[leaf] = 0;
    open.delete(leafCell);
    degree[r]--;
    degree[c]--;
  }
  return flow;
}

/** The transportation simplex on whole-number supplies (positive, equal totals) and whole-number costs. */
function simplex(
  supply: readonly number[],
  demand: readonly number[],
  c: readonly (readonly number[])[],
): { flow: Float64Array; basic: Uint8Array; u: Float64Array; v: Float64Array; pivots: number } {
  const n = supply.length;
  const m = demand.length;
  const nodes = n + m;
  const cell = (i: number, j: number) => i * m + j;
  const cc = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) cc[cell(i, j)] = c[i][j];

  // Northwest-corner start: a staircase of n+m−1 cells from (0,0) to (n−1,m−1), a spanning tree.
  const flow = new Float64Array(n * m);
  const basic = new Uint8Array(n * m);
  {
    const a = supply.slice();
    const b = demand.slice();
    let i = 0;
    let j = 0;
    for (;;) {
      const x = Math.min(a[i], b[j]);
      flow[cell(i, j)] = x;
      basic[cell(i, j)] = 1;
      a[i] -= x;
      b[j] -= x;
      if (i === n - 1 && j === m - 1) break;
      if (j === m - 1 || (i < n - 1 && a[i] === 0)) i++;
      else j++;
    }
  }

  const u = new Float64Array(n);
  const v = new Float64Array(m);
  const known = new Uint8Array(nodes);
  // The tree's adjacency in compressed form: node k's cells are adjCell[adjStart[k] .. adjStart[k+1]).
  const adjStart = new Int32Array(nodes + 1);
  const adjCell = new Int32Array(2 * nodes);
  const fill = new Int32Array(nodes);
  const parentCell = new Int32Array(nodes);
  const queue = new Int32Array(nodes);
  const buildTree = () => {
    adjStart.fill(0);
    for (let e = 0; e < n * m; e++) {
      if (!basic[e]) continue;
      adjStart[Math.floor(e / m) + 1]++;
      adjStart[n + (e % m) + 1]++;
    }
    for (let k = 0; k < nodes; k++) adjStart[k + 1] += adjStart[k];
    fill.set(adjStart.subarray(0, nodes));
    for (let e = 0; e < n * m; e++) {
      if (!basic[e]) continue;
      adjCell[fill[Math.floor(e / m)]++] = e;
      adjCell[fill[n + (e % m)]++] = e;
    }
  };
  const other = (node: number, e: number) => (node < n ? n + (e % m) : Math.floor(e / m));
  /** Breadth-first over the tree from `root`, recording each node's parent cell; fills u and v when asked. */
  const walkTree = (root: number, potentials: boolean) => {
    known.fill(0);
    known[root] = 1;
    parentCell[root] = -1;
    if (potentials) u[root] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = root;
    while (head < tail) {
      const node = queue[head++];
      for (let k = adjStart[node]; k < adjStart[node + 1]; k++) {
        const e = adjCell[k];
        const next = other(node, e);
        if (known[next]) continue;
        known[next] = 1;
        parentCell[next] = e;
        if (potentials) {
          if (next >= n) v[next - n] = cc[e] - u[node];
          else u[next] = cc[e] - v[node - n];
        }
        queue[tail++] = next;
      }
    }
    if (tail !== nodes) throw new Error('transport: the basis is not a spanning tree (a bug)');
  };

  const limit = pivotLimit(n, m);
  const minus: number[] = [];
  const plus: number[] = [];
  let pivots = 0;
  let degenerate = false;
  for (;;) {
    buildTree();
    walkTree(0, true);
    let enter = -1;
    let best = 0;
    for (let e = 0; e < n * m; e++) {
      if (basic[e]) continue;
      const r = cc[e] - u[Math.floor(e / m)] - v[e % m];
      if (r < best) {
        best = r;
        enter = e;
        if (degenerate) break; // Bland: the first improving cell.
      }
    }
    if (enter < 0) break;
    if (++pivots > limit) throw new Error(`transport: no optimum after ${limit} pivots on a ${n}×${m} problem (a bug)`);
    // The cycle: the tree path from the entering cell's column back to its row; its cells alternate −, +, …, −.
    const row = Math.floor(enter / m);
    const col = n + (enter % m);
    walkTree(row, false);
    minus.length = 0;
    plus.length = 0;
    for (let node = col, sign = 0; node !== row; sign ^= 1) {
      const e = parentCell[node];
      (sign === 0 ? minus : plus).push(e);
      node = other(node, e);
    }
    let theta = Infinity;
    let leave = -1;
    for (const e of minus) {
      if (flow[e] < theta || (flow[e] === theta && e < leave)) {
        theta = flow[e];
        leave = e;
      }
    }
    for (const e of minus) flow[e] -= theta;
    for (const e of plus) flow[e] += theta;
    flow[enter] = theta;
    basic[enter] = 1;
    basic[leave] = 0;
    flow[leave] = 0;
    degenerate = theta === 0;
  }
  return { flow, basic, u, v, pivots };
}

/** Earth mover's distance between two distributions of equal mass under a ground-cost matrix. */
export function earthMoversDistance(
  p: readonly number[],
  q: readonly number[],
  cost: readonly (readonly number[])[],
): number {
  return solveTransport(p, q, cost).cost;
}
