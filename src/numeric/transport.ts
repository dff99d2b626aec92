/**
 * Earth mover's distance between two discrete distributions with a ground-cost matrix, solved exactly
 * as a min-cost flow by successive shortest paths (Bellman–Ford on the residual graph). Sizes here are
 * the number of HMM states, so the simple method is fast enough.
 */
export function earthMoversDistance(p: readonly number[], q: readonly number[], cost: readonly (readonly number[])[]): number {
  const n = p.length;
  const m = q.length;
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  if (!(sp > 0 && sq > 0) || Math.abs(sp - sq) > 1e-9 * Math.max(sp, sq)) {
    throw new Error(`transport needs two distributions of equal positive mass, got ${sp} and ${sq}`);
  }
  const eps = 1e-15 * sp;
  const supply = p.slice();
  const demand = q.map((v) => (v * sp) / sq);
  const flow = Array.from({ length: n }, () => new Float64Array(m));
  let total = 0;
  // Nodes: sources 0..n-1, sinks n..n+m-1. dist from a virtual root connected to every source with supply.
  for (let guard = 0; guard < 4 * (n + m) * (n + m) + 16; guard++) {
    const dist = new Float64Array(n + m).fill(Infinity);
    const prev = new Int32Array(n + m).fill(-1);
    for (let i = 0; i < n; i++) if (supply[i] > eps) dist[i] = 0;
    for (let round = 0; round < n + m; round++) {
      let changed = false;
      for (let i = 0; i < n; i++) {
        if (dist[i] === Infinity) continue;
        for (let j = 0; j < m; j++) {
          const nd = dist[i] + cost[i][j];
          if (nd < dist[n + j] - 1e-15) {
            dist[n + j] = nd;
            prev[n + j] = i;
            changed = true;
          }
        }
      }
      for (let j = 0; j < m; j++) {
        if (dist[n + j] === Infinity) continue;
        for (let i = 0; i < n; i++) {
          if (flow[i][j] <= eps) continue;
          const nd = dist[n + j] - cost[i][j];
          if (nd < dist[i] - 1e-15) {
            dist[i] = nd;
            prev[i] = n + j;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    let sink = -1;
    for (let j = 0; j < m; j++) if (demand[j] > eps && dist[n + j] < Infinity && (sink < 0 || dist[n + j] < dist[n + sink])) sink = j;
    if (sink < 0) break;
    // Walk back to the source, finding the bottleneck.
    let amount = demand[sink];
    let node = n + sink;
    while (prev[node] >= 0) {
      const from = prev[node];
      if (node < n) amount = Math.min(amount, flow[node][from - n]);
      node = from;
    }
    amount = Math.min(amount, supply[node]);
    const source = node;
    node = n + sink;
    while (prev[node] >= 0) {
      const from = prev[node];
      if (node >= n) {
        flow[from][node - n] += amount;
        total += amount * cost[from][node - n];
      } else {
        flow[node][from - n] -= amount;
        total -= amount * cost[node][from - n];
      }
      node = from;
    }
    supply[source] -= amount;
    demand[sink] -= amount;
  }
  return total;
}
