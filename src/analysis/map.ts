import { invertSpd, flatten2d } from '../numeric/linalg.ts';
import type { HMMParams } from './hmm/types.ts';

export interface FeatureImportance {
  feature: string;
  /** Diagonal of the state's precision matrix Σ⁻¹ (paper, Proposition 1). */
  importance: number;
}

export interface MapNode {
  /** The state's number: states are numbered by mean first visit (method.md §7). */
  state: number;
  /** What follows the state across refits (colours): matched to the previous fit's states (method.md §7). */
  identity: number;
  /** Fraction of all decoded checkpoints in this state. */
  occupancy: number;
  checkpoints: number;
  /** Runs whose path visits the state. */
  runs: number;
  /** Mean checkpoint index of the first visit, over the runs that visit it (NaN if none). */
  meanFirstVisit: number;
  topFeatures: FeatureImportance[];
  label: string;
}

export interface FeatureChange {
  feature: string;
  /** μ_to − μ_from in (per-run) standard deviations. */
  delta: number;
}

export interface MapEdge {
  from: number;
  to: number;
  probability: number;
  /** Runs whose Viterbi path takes this transition at least once. */
  runs: number;
  transitions: number;
  /** Mean convergence checkpoint of the runs taking the edge, when convergence is known. */
  meanConvergence?: number;
  changes: FeatureChange[];
  label: string;
}

export interface TrainingMap {
  nodes: MapNode[];
  edges: MapEdge[];
  shape: 'linear' | 'forking';
  /** The states in order, when the map is linear. */
  order?: number[];
}

/** Features ranked by the precision diagonal of one state, most important first. */
export function rankFeatures(
  covariance: readonly (readonly number[])[],
  features: readonly string[],
): FeatureImportance[] {
  const d = features.length;
  const precision = invertSpd(flatten2d(covariance), d);
  if (!precision) throw new Error('state covariance is not positive definite; cannot rank features');
  return features
    .map((feature, i) => ({ feature, importance: precision[i * d + i] }))
    .sort((a, b) => b.importance - a.importance);
}

export function formatChange(c: FeatureChange): string {
  return `${c.feature} ${c.delta >= 0 ? '↑' : '↓'}${Math.abs(c.delta).toFixed(2)}`;
}

/** Collapses repeats: [0,0,1,1,1,2] -> [0,1,2]. */
export function collapse(path: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let t = 0; t < path.length; t++) if (out.length === 0 || out[out.length - 1] !== path[t]) out.push(path[t]);
  return out;
}

/**
 * method.md §8: nodes are states, an edge j→k exists only if some run's Viterbi path takes it; node labels
 * are the top features by precision, edge labels the destination's top features with their mean change.
 * `identity` gives each state's identity (method.md §7); by default its number.
 */
export function buildTrainingMap(
  params: HMMParams,
  paths: readonly ArrayLike<number>[],
  features: readonly string[],
  convergence?: readonly number[],
  identity?: readonly number[],
  topN = 3,
): TrainingMap {
  const k = params.startprob.length;
  const total = paths.reduce((s, p) => s + p.length, 0);
  const ranked = params.covars.map((c) => rankFeatures(c, features));
  const nodes: MapNode[] = Array.from({ length: k }, (_, state) => {
    let checkpoints = 0;
    let runs = 0;
    let firstSum = 0;
    for (const p of paths) {
      let first = -1;
      for (let t = 0; t < p.length; t++) {
        if (p[t] !== state) continue;
        checkpoints++;
        if (first < 0) first = t;
      }
      if (first >= 0) {
        runs++;
        firstSum += first;
      }
    }
    const topFeatures = ranked[state].slice(0, topN);
    return {
      state,
      identity: identity?.[state] ?? state,
      occupancy: total > 0 ? checkpoints / total : 0,
      checkpoints,
      runs,
      meanFirstVisit: runs > 0 ? firstSum / runs : NaN,
      topFeatures,
      label: topFeatures.map((f) => f.feature).join(', '),
    };
  });
  const edgeRuns = new Map<string, { runs: Set<number>; count: number }>();
  paths.forEach((p, r) => {
    for (let t = 1; t < p.length; t++) {
      if (p[t] === p[t - 1]) continue;
      const key = `${p[t - 1]}>${p[t]}`;
      const e = edgeRuns.get(key) ?? { runs: new Set<number>(), count: 0 };
      e.runs.add(r);
      e.count++;
      edgeRuns.set(key, e);
    }
  });
  const edges: MapEdge[] = [...edgeRuns.entries()]
    .map(([key, e]) => {
      const [from, to] = key.split('>').map(Number);
      const changes = ranked[to].slice(0, topN).map(({ feature }) => {
        const i = features.indexOf(feature);
        return { feature, delta: params.means[to][i] - params.means[from][i] };
      });
      const runList = [...e.runs];
      return {
        from,
        to,
        probability: params.transmat[from][to],
        runs: runList.length,
        transitions: e.count,
        ...(convergence ? { meanConvergence: runList.reduce((s, r) => s + convergence[r], 0) / runList.length } : {}),
        changes,
        label: changes.map(formatChange).join(', '),
      };
    })
    .sort((a, b) => a.from - b.from || a.to - b.to);
  const order = linearOrder(paths, edges);
  return { nodes, edges, shape: order ? 'linear' : 'forking', ...(order ? { order } : {}) };
}

/** The transitions j→k (j ≠ k) that some path takes, each once. */
export function pathEdges(paths: readonly ArrayLike<number>[]): { from: number; to: number }[] {
  const seen = new Set<string>();
  const edges: { from: number; to: number }[] = [];
  for (const p of paths) {
    for (let t = 1; t < p.length; t++) {
      if (p[t] === p[t - 1]) continue;
      const key = `${p[t - 1]}>${p[t]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from: p[t - 1], to: p[t] });
    }
  }
  return edges;
}

/**
 * The states in order when the map is linear: its edges form one simple path and every run walks a
 * contiguous stretch of it forwards. Otherwise null (the map forks).
 */
export function linearOrder(
  paths: readonly ArrayLike<number>[],
  edges: readonly { from: number; to: number }[],
): number[] | null {
  const visited = new Set<number>();
  for (const p of paths) for (let t = 0; t < p.length; t++) visited.add(p[t]);
  if (edges.length !== visited.size - 1) return null;
  const next = new Map<number, number>();
  const hasIncoming = new Set<number>();
  for (const e of edges) {
    if (next.has(e.from) || hasIncoming.has(e.to)) return null;
    next.set(e.from, e.to);
    hasIncoming.add(e.to);
  }
  const heads = [...visited].filter((s) => !hasIncoming.has(s));
  if (heads.length !== 1) return null;
  const order = [heads[0]];
  while (next.has(order[order.length - 1])) {
    order.push(next.get(order[order.length - 1])!);
    if (order.length > visited.size) return null;
  }
  if (order.length !== visited.size) return null;
  const position = new Map(order.map((s, i) => [s, i]));
  for (const p of paths) {
    const c = collapse(p);
    for (let i = 1; i < c.length; i++) if (position.get(c[i])! !== position.get(c[i - 1])! + 1) return null;
  }
  return order;
}
