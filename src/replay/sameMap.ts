/**
 * Whether two analyses draw the same training map, whatever numbers their states carry: a full selection that
 * keeps an earlier fit's numbering (AnalyzeOptions.previous) and one that does not label the same states
 * differently. States are renamed by when runs first reach them (mean first visit, then occupancy), and the map
 * compares as K, shape, the nodes' runs and checkpoints, the edges' runs, the detours and every run's decoded path.
 */
import type { AnalysisReport } from '../analysis/index.ts';

export interface MapSignature {
  k: number;
  shape: 'linear' | 'forking';
  /** Per canonical state: runs visiting it and checkpoints in it. */
  nodes: { runs: number; checkpoints: number }[];
  /** "a>b:runs", sorted. */
  edges: string[];
  detours: number[];
  /** Run key → decoded path in canonical states. */
  paths: Record<string, number[]>;
}

export function mapSignature(report: AnalysisReport): MapSignature {
  const k = report.selection.chosenK;
  const byState = new Map(report.map.nodes.map((n) => [n.state, n]));
  const order = Array.from({ length: k }, (_, s) => s).sort((a, b) => {
    const na = byState.get(a);
    const nb = byState.get(b);
    const fa = na && Number.isFinite(na.meanFirstVisit) ? na.meanFirstVisit : Infinity;
    const fb = nb && Number.isFinite(nb.meanFirstVisit) ? nb.meanFirstVisit : Infinity;
    return fa - fb || (nb?.occupancy ?? 0) - (na?.occupancy ?? 0) || a - b;
  });
  const rename = new Map(order.map((s, i) => [s, i]));
  const to = (s: number) => rename.get(s) ?? s;
  return {
    k,
    shape: report.map.shape,
    nodes: order.map((s) => ({ runs: byState.get(s)?.runs ?? 0, checkpoints: byState.get(s)?.checkpoints ?? 0 })),
    edges: report.map.edges.map((e) => `${to(e.from)}>${to(e.to)}:${e.runs}`).sort(),
    detours: report.detours.map(to).sort((a, b) => a - b),
    paths: Object.fromEntries(report.runs.flatMap((r) => (r.path ? [[r.key, r.path.map(to)]] : []))),
  };
}

/** The first difference between two maps in words, or null when they are the same map. */
export function mapDifference(a: AnalysisReport, b: AnalysisReport): string | null {
  const x = mapSignature(a);
  const y = mapSignature(b);
  if (x.k !== y.k) return `K differs: ${x.k} vs ${y.k}`;
  if (x.shape !== y.shape) return `shape differs: ${x.shape} vs ${y.shape}`;
  const same = (u: unknown, v: unknown) => JSON.stringify(u) === JSON.stringify(v);
  if (!same(x.nodes, y.nodes)) return `states differ: ${JSON.stringify(x.nodes)} vs ${JSON.stringify(y.nodes)}`;
  if (!same(x.edges, y.edges)) return `edges differ: ${x.edges.join(' ')} vs ${y.edges.join(' ')}`;
  if (!same(x.detours, y.detours)) return `detours differ: ${x.detours.join(',')} vs ${y.detours.join(',')}`;
  for (const key of new Set([...Object.keys(x.paths), ...Object.keys(y.paths)]))
    if (!same(x.paths[key], y.paths[key])) return `the decoded path of ${key} differs`;
  return null;
}

/**
 * States with two or more successors other than themselves: where runs part ways. The map's own verdict
 * (map.shape) calls every map without a linear order forking, so a two-state cycle (runs that fall back to an
 * earlier state and return, as after a loss spike) is forking there but branches nowhere.
 */
export function branchingStates(report: AnalysisReport): number[] {
  return branchingOf(report.map.edges);
}

/** The states with edges to two or more other states, of any list of edges. */
export function branchingOf(edges: readonly { from: number; to: number }[]): number[] {
  const successors = new Map<number, Set<number>>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    const set = successors.get(e.from) ?? new Set<number>();
    set.add(e.to);
    successors.set(e.from, set);
  }
  return [...successors]
    .filter(([, to]) => to.size >= 2)
    .map(([from]) => from)
    .sort((a, b) => a - b);
}
