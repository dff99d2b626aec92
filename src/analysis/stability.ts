/**
 * How sure a map is. The map is read off one EM fit, and another seeded restart of comparable held-out
 * likelihood can give another map (a fork instead of a chain, a detour that is not one). Every restart at
 * the chosen K is decoded, its states are matched to the shown fit's, and each edge, detour and the
 * linear/forking verdict of the shown map gets its support: the share of comparable fits that have it.
 */
import { bagOfStatesRegression } from './bagOfStates.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { detourStates } from './detours.ts';
import { dissimilarities, occupancy } from './dissimilarity.ts';
import { renumberFindings, type DegenerateFinding } from './hmm/degeneracy.ts';
import { decodeObservations } from './hmm/inference.ts';
import { matchStates, matchStatesByOverlap, permuteParams, permutePath } from './hmm/matching.ts';
import { fromFlat } from './hmm/params.ts';
import type { FitJobResult } from './selection.ts';
import type { HMMParams, ObservationSet } from './hmm/types.ts';
import { linearOrder, pathEdges } from './map.ts';

export type StabilityMatching = 'overlap' | 'means';

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface StabilityFit {
  restart: number;
  seed: number;
  heldOutLogLikelihood: number;
  /** How far below the best restart's held-out log-likelihood, in nats per held-out checkpoint. */
  gapPerCheckpoint: number;
  /** That gap over its standard error, paired over the held-out runs (NaN with fewer than 2 held-out runs). */
  z: number;
  comparable: boolean;
  shown: boolean;
  shape: 'linear' | 'forking';
  /** Degenerate states, numbered as the shown fit's states they are matched to. */
  degenerate: DegenerateFinding[];
  /** This fit's state matched to each state of the shown fit (matchedTo[i] plays shown state i). */
  matchedTo: number[];
  /** Share of all checkpoints that this fit and the shown fit put in matched states. */
  agreement: number;
  /** The edges of this fit's map, in the shown fit's numbering, as "from>to". */
  edges: string[];
  /** The states some run visits, in the shown fit's numbering. */
  visited: number[];
  detours: number[];
  rSquared: number;
  dissimilarity: { stateIndex: number; labelFree: number };
}

export interface StabilityReport {
  k: number;
  /** Nats per held-out checkpoint within which a fit is comparable to the best. */
  comparableWithin: number;
  nHeldOutObservations: number;
  matching: StabilityMatching;
  shownRestart: number;
  bestRestart: number;
  /** Every restart at K, best first. */
  fits: StabilityFit[];
  comparable: number;
  verdict: {
    shape: 'linear' | 'forking';
    /** Share of comparable fits whose map has the shown map's shape. */
    support: number;
    comparable: FitCounts;
    all: FitCounts;
  };
  /** Every edge of a comparable fit's map (shown numbering); `shown` marks the shown map's. */
  edges: { from: number; to: number; support: number; shown: boolean }[];
  /** Per shown state: the share of comparable fits in which its matched state is visited, and is a detour. */
  states: { state: number; visited: number; detour: number }[];
  /** The shown map's detour states and their support. */
  detours: { state: number; support: number }[];
  /** Over the comparable fits; absent when there is no regression. */
  rSquared?: Spread;
  dissimilarity: { stateIndex: Spread; labelFree: Spread };
}

export interface FitCounts {
  fits: number;
  linear: number;
  forking: number;
  /** Fits with degenerate states of any kind, and those with an alternating pair. */
  degenerate: number;
  alternating: number;
}

export interface StabilityInput {
  k: number;
  /** Every restart at K, from model selection and the stability pass (failed ones are left out). */
  fits: readonly FitJobResult[];
  shownRestart: number;
  /** How the shown fit was renumbered: shown state i is its fitted state shownOrder[i]. */
  shownOrder: readonly number[];
  /** The shown fit as reported: renumbered parameters and every included run's path. */
  shownParams: HMMParams;
  shownPaths: readonly number[][];
  shownDetours: readonly number[];
  /** Every included run, in the order of shownPaths. */
  obs: ObservationSet;
  convergence?: { times: readonly number[]; converged: readonly boolean[] };
  nHeldOutObservations: number;
  comparableWithin?: number;
  matching?: StabilityMatching;
  /** Called after each restart is decoded and compared, for progress. */
  onFit?: (done: number, total: number) => void;
  /** Seeds the sample of run pairs for the label-free dissimilarity when there are too many pairs (method.md §12). */
  seed?: number;
}

function dissimilarityValues(occ: readonly number[][], means: readonly number[][], seed?: number) {
  const { stateIndex, labelFree } = dissimilarities(occ, means, { seed });
  return { stateIndex, labelFree };
}

export function spread(values: readonly number[]): Spread {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return { min: NaN, median: NaN, max: NaN };
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s[s.length - 1] };
}

/** The held-out gap between two fits over its standard error, paired over the held-out runs. */
export function pairedZ(best: readonly number[], other: readonly number[]): number {
  const n = best.length;
  if (n < 2 || other.length !== n) return NaN;
  const d = best.map((b, i) => b - other[i]);
  const m = d.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  const se = sd * Math.sqrt(n);
  if (se === 0) return m === 0 ? 0 : Infinity * Math.sign(m);
  return (m * n) / se;
}

function counts(fits: readonly StabilityFit[]): FitCounts {
  return {
    fits: fits.length,
    linear: fits.filter((f) => f.shape === 'linear').length,
    forking: fits.filter((f) => f.shape === 'forking').length,
    degenerate: fits.filter((f) => f.degenerate.length > 0).length,
    alternating: fits.filter((f) => f.degenerate.some((d) => d.kind === 'alternation')).length,
  };
}

/** Decodes, matches and summarizes one restart against the shown fit. */
function describeFit(
  r: FitJobResult,
  input: StabilityInput,
  bestLl: number,
  bestPerRun: readonly number[],
  matching: StabilityMatching,
  within: number,
): StabilityFit {
  const k = input.k;
  const shown = r.job.restart === input.shownRestart;
  const raw = fromFlat(r.fit!.params);
  let order: number[];
  let paths: number[][];
  if (shown) {
    order = [];
    paths = input.shownPaths.map((p) => [...p]);
  } else {
    const rawPaths = decodeObservations(r.fit!.params, input.obs);
    order =
      matching === 'overlap'
        ? matchStatesByOverlap(input.shownPaths, rawPaths, k, k)
        : matchStates(input.shownParams, raw);
    paths = rawPaths.map((p) => permutePath(p, order));
  }
  const params = shown ? input.shownParams : permuteParams(raw, order);
  let same = 0;
  let total = 0;
  paths.forEach((p, i) => {
    const s = input.shownPaths[i];
    for (let t = 0; t < p.length; t++) if (p[t] === s[t]) same++;
    total += p.length;
  });
  const gap = (bestLl - r.heldOutLogLikelihood) / input.nHeldOutObservations;
  const occ = paths.map((p) => occupancy(p, k));
  let rSquared = NaN;
  let detours: number[] = [];
  if (input.convergence) {
    const reg = bagOfStatesRegression(paths, k, input.convergence.times);
    rSquared = reg.rSquared;
    detours = shown ? [...input.shownDetours] : detourStates(reg.coefficients, paths, input.convergence.converged);
  }
  return {
    restart: r.job.restart,
    seed: r.job.seed,
    heldOutLogLikelihood: r.heldOutLogLikelihood,
    gapPerCheckpoint: gap,
    z: pairedZ(bestPerRun, r.heldOutPerRun),
    comparable: gap <= within,
    shown,
    shape: linearOrder(paths, pathEdges(paths)) ? 'linear' : 'forking',
    degenerate: renumberFindings(r.degenerate, shown ? input.shownOrder : order),
    matchedTo: shown ? [...input.shownOrder] : order,
    agreement: total > 0 ? same / total : NaN,
    edges: pathEdges(paths)
      .map((e) => `${e.from}>${e.to}`)
      .sort(),
    visited: Array.from({ length: k }, (_, s) => s).filter((s) => paths.some((p) => p.includes(s))),
    detours,
    rSquared,
    dissimilarity: dissimilarityValues(occ, params.means, input.seed),
  };
}

export function assessStability(input: StabilityInput): StabilityReport {
  const within = input.comparableWithin ?? ANALYSIS_DEFAULTS.comparableWithin;
  const matching = input.matching ?? ANALYSIS_DEFAULTS.stabilityMatching;
  const ok = input.fits
    .filter((r) => r.fit && Number.isFinite(r.heldOutLogLikelihood))
    .sort((a, b) => a.job.restart - b.job.restart);
  if (!ok.some((r) => r.job.restart === input.shownRestart))
    throw new Error(`stability: the shown restart ${input.shownRestart} is not among the fits`);
  const best = ok.reduce((a, b) => (b.heldOutLogLikelihood > a.heldOutLogLikelihood ? b : a));
  input.onFit?.(0, ok.length);
  const fits = ok
    .map((r, i) => {
      const f = describeFit(r, input, best.heldOutLogLikelihood, best.heldOutPerRun, matching, within);
      input.onFit?.(i + 1, ok.length);
      return f;
    })
    .sort((a, b) => b.heldOutLogLikelihood - a.heldOutLogLikelihood || a.restart - b.restart);
  const shownFit = fits.find((f) => f.shown)!;
  // The shown fit always counts, also when the degeneracy guard picked it below the tolerance.
  const comparable = fits.filter((f) => f.comparable || f.shown);
  const n = comparable.length;
  const share = (pred: (f: StabilityFit) => boolean) => comparable.filter(pred).length / n;
  const edgeKeys = [...new Set(comparable.flatMap((f) => f.edges))];
  const shownEdges = new Set(shownFit.edges);
  const edges = edgeKeys
    .map((key) => {
      const [from, to] = key.split('>').map(Number);
      return { from, to, support: share((f) => f.edges.includes(key)), shown: shownEdges.has(key) };
    })
    .sort((a, b) => Number(b.shown) - Number(a.shown) || a.from - b.from || a.to - b.to);
  const states = Array.from({ length: input.k }, (_, state) => ({
    state,
    visited: share((f) => f.visited.includes(state)),
    detour: share((f) => f.detours.includes(state)),
  }));
  return {
    k: input.k,
    comparableWithin: within,
    nHeldOutObservations: input.nHeldOutObservations,
    matching,
    shownRestart: input.shownRestart,
    bestRestart: best.job.restart,
    fits,
    comparable: n,
    verdict: {
      shape: shownFit.shape,
      support: share((f) => f.shape === shownFit.shape),
      comparable: counts(comparable),
      all: counts(fits),
    },
    edges,
    states,
    detours: input.shownDetours.map((state) => ({ state, support: share((f) => f.detours.includes(state)) })),
    ...(input.convergence ? { rSquared: spread(comparable.map((f) => f.rSquared)) } : {}),
    dissimilarity: {
      stateIndex: spread(comparable.map((f) => f.dissimilarity.stateIndex)),
      labelFree: spread(comparable.map((f) => f.dissimilarity.labelFree)),
    },
  };
}
