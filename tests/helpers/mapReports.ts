/**
 * Reports with maps of a chosen shape and size, for layout and wording tests: paths walked on a random Markov chain
 * (many states, forks, ways back), the map built by the analysis's own buildTrainingMap, the rest of the report taken
 * from the shipped sparse-parity analysis. No HMM is fitted, so they are cheap to make by the dozen.
 */
import type { AnalysisReport, HMMParams } from '../../src/analysis/index.ts';
import { bagOfStatesRegression } from '../../src/analysis/bagOfStates.ts';
import { buildTrainingMap } from '../../src/analysis/map.ts';
import { createRng } from '../../src/numeric/index.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';

export interface MapReportSpec {
  states: number;
  shape: 'linear' | 'forking';
  features: string[];
  runs?: number;
  length?: number;
  seed: number;
  /** Measured supports (drawn at random) or a skipped stability. */
  stability?: boolean;
}

/** Feature names as long as a user's columns can get. */
export const LONG_FEATURES = Array.from(
  { length: 6 },
  (_, i) => `layer_${i}_attention_output_projection_weight_frobenius_norm`,
);

export function mapReport(spec: MapReportSpec): AnalysisReport {
  const rng = createRng(spec.seed, 'map-report');
  const k = spec.states;
  const d = spec.features.length;
  const runs = spec.runs ?? 30;
  const length = spec.length ?? 120;
  // Forward moves: the next state, or (forking) one of the next three; now and then a way back.
  const step = (s: number): number => {
    if (s === k - 1) return s;
    if (spec.shape === 'linear') return s + 1;
    const u = rng.next();
    if (u < 0.08 && s > 0) return s - 1;
    return Math.min(k - 1, s + 1 + Math.floor(rng.next() * 3));
  };
  const paths = Array.from({ length: runs }, () => {
    const path: number[] = [];
    let s = 0;
    for (let t = 0; t < length; t++) {
      path.push(s);
      if (rng.next() < (1.5 * k) / length) s = step(s);
    }
    return path;
  });
  const params: HMMParams = {
    startprob: Array.from({ length: k }, (_, i) => (i === 0 ? 1 : 0)),
    transmat: Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 0.9 : 0.1 / (k - 1)))),
    means: Array.from({ length: k }, () => Array.from({ length: d }, () => 1.5 * rng.normal())),
    covars: Array.from({ length: k }, () =>
      Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 0.2 + rng.next() : 0))),
    ),
  };
  const convergence = paths.map((p) => p.indexOf(k - 1));
  const map = buildTrainingMap(
    params,
    paths,
    spec.features,
    convergence.map((c) => (c < 0 ? length : c)),
  );
  const base = sparseParityReport();
  const visited = map.nodes.filter((n) => n.runs > 0).map((n) => n.state);
  const detours = spec.shape === 'forking' ? visited.filter((s) => s % 3 === 1) : [];
  const stability = base.stability as Exclude<AnalysisReport['stability'], { skipped: string }>;
  return {
    ...base,
    features: [...spec.features],
    model: { ...base.model, params },
    map,
    detours,
    runs: paths.map((path, r) => ({
      key: `sampled/run-${r}`,
      group: 'sampled',
      id: `run-${r}`,
      seed: r,
      checkpoints: length,
      included: true,
      role: r < Math.round(runs / 5) ? 'held-out' : 'train',
      convergence: {
        checkpoint: convergence[r] < 0 ? length : convergence[r],
        step: null,
        converged: convergence[r] >= 0,
      },
      path,
    })),
    selection: { ...base.selection, chosenK: k },
    regression: bagOfStatesRegression(
      paths,
      k,
      convergence.map((c) => (c < 0 ? length : c)),
    ),
    stability:
      spec.stability === false
        ? { skipped: 'not measured for this layout test', kChoice: stability.kChoice }
        : {
            ...stability,
            k,
            verdict: { ...stability.verdict, shape: map.shape, support: 0.8 },
            edges: [
              ...map.edges.map((e) => ({
                from: e.from,
                to: e.to,
                support: Math.round(100 * rng.next()) / 100,
                shown: true,
              })),
              ...(visited.length > 2 ? [{ from: visited.at(-1)!, to: visited[0], support: 0.4, shown: false }] : []),
            ],
            detours: detours.map((state) => ({ state, support: 0.6 })),
          },
  };
}

/** A spread of maps: few and many states, both shapes, the 14 metrics and long names. */
export function mapReportSet(features14: readonly string[]): { name: string; report: AnalysisReport }[] {
  const specs: (MapReportSpec & { name: string })[] = [
    { name: 'linear-4', states: 4, shape: 'linear', features: [...features14], seed: 1 },
    { name: 'linear-9-long-names', states: 9, shape: 'linear', features: LONG_FEATURES, seed: 2 },
    { name: 'forking-5', states: 5, shape: 'forking', features: [...features14], seed: 3 },
    { name: 'forking-8', states: 8, shape: 'forking', features: [...features14], seed: 4, stability: false },
    { name: 'forking-12-long-names', states: 12, shape: 'forking', features: LONG_FEATURES, seed: 5 },
  ];
  return specs.map(({ name, ...spec }) => ({ name, report: mapReport(spec) }));
}
