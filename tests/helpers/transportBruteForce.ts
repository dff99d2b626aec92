/**
 * The optimum of a small transport problem by enumeration: every basis (n+m−1 cells forming a spanning
 * tree of the bipartite graph) has one flow, solved by peeling leaves; the cheapest non-negative one is a
 * vertex of the transport polytope where the LP attains its minimum. Independent of the simplex solver.
 */
export function bruteForceTransport(
  p: readonly number[],
  q: readonly number[],
  cost: readonly (readonly number[])[],
): number {
  const n = p.length;
  const m = q.length;
  const size = n + m - 1;
  const cells = n * m;
  let best = Infinity;
  const chosen: number[] = [];
  const tol = 1e-12 * Math.max(1, ...p, ...q);
  const evaluate = () => {
    // A spanning tree: n+m−1 edges and no cycle (union–find).
    const parent = Array.from({ length: n + m }, (_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
    for (const cell of chosen) {
      const a = find(Math.floor(cell / m));
      const b = find(n + (cell % m));
      if (a === b) return;
      parent[a] = b;
    }
    const left = [...p, ...q];
    const open = new Set(chosen);
    const flow = new Map<number, number>();
    while (open.size > 0) {
      let leafCell = -1;
      let leafNode = -1;
      for (let node = 0; node < n + m && leafCell < 0; node++) {
        const mine = [...open].filter((cell) => (node < n ? Math.floor(cell / m) === node : n + (cell % m) === node));
        if (mine.length === 1) {
          leafCell = mine[0];
          leafNode = node;
        }
      }
      const x = left[leafNode];
      flow.set(leafCell, x);
      const otherNode = leafNode < n ? n + (leafCell % m) : Math.floor(leafCell / m);
      left[leafNode] -= x;
      left[otherNode] -= x;
      open.delete(leafCell);
    }
    let total = 0;
    for (const [cell, x] of flow) {
      if (x < -tol) return;
      total += Math.max(0, x) * cost[Math.floor(cell / m)][cell % m];
    }
    best = Math.min(best, total);
  };
  const pick = (from: number) => {
    if (chosen.length === size) return evaluate();
    for (let cell = from; cell <= cells - (size - chosen.length); cell++) {
      chosen.push(cell);
      pick(cell + 1);
      chosen.pop();
    }
  };
  pick(0);
  return best;
}
