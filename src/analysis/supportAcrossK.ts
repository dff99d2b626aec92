/**
 * method.md §13.7: how sure the map is across the Ks the data cannot tell apart, not only across restarts at the
 * chosen K. Which K the analysis picks is noisy in two ways: through the restarts (§13.6) and through the few
 * held-out runs its BIC sums over. Resampling both together (the same draw of held-out runs for every K) gives each
 * K's chance of being chosen; a K is plausible when that chance, or its share of the restart resamples alone (§13.6),
 * reaches the indistinguishable share. Each plausible K weighs in by its chance of being chosen; within a K every
 * comparable restart counts equally; states of a fit at another K are read in the shown numbering through a
 * rectangular Hungarian matching of state means.
 */
import { createRng } from '../numeric/rng.ts';
import { bagOfStatesRegression } from './bagOfStates.ts';
import { bic } from './hmm/criteria.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import { detourStates } from './detours.ts';
import { decodeObservations } from './hmm/inference.ts';
import { assignStates, meansCost } from './hmm/matching.ts';
import { fromFlat } from './hmm/params.ts';
import type { HMMParams, ObservationSet } from './hmm/types.ts';
import type { KChoice } from './kChoice.ts';
import { pathEdges } from './map.ts';
import { argminK, pickRestart, type FitJobResult, type ModelSelection } from './selection.ts';
import type { StabilityReport } from './stability.ts';

export interface PlausibleK {
  k: number;
  chosen: boolean;
  /** Share of the joint resamples of restarts and held-out runs in which this K is chosen. */
  chance: number;
  /** Share of the restart resamples alone (method.md §13.6). */
  restartShare: number;
  /** Its weight in the supports: its chance, renormalized over the plausible Ks. */
  weight: number;
  /** Why it is plausible, in words. */
  reasons: string[];
}

export interface PlausibleKOptions {
  nFeatures: number;
  /** Checkpoints of each held-out run, in the selection's order (the BIC of a resample counts the runs drawn). */
  heldOutLengths: ArrayLike<number>;
  seed?: number;
  resamples?: number;
  share?: number;
  comparableWithin?: number;
  avoidDegenerate?: boolean;
}

/**
 * Each K's chance of being chosen when the restarts of every K are redrawn with replacement (as §13.6) and the
 * held-out runs are redrawn with replacement too, the same runs for every K, so that Ks are compared run by run.
 */
export function chanceOfEachK(selection: ModelSelection, o: PlausibleKOptions): Map<number, number> {
  const ks = selection.rows.filter((r) => Number.isFinite(r.bic)).map((r) => r.k);
  const byK = new Map(
    ks.map((k) => [
      k,
      selection.results.filter(
        (r) =>
          r.job.k === k &&
          Number.isFinite(r.heldOutLogLikelihood) &&
          r.heldOutPerRun.length === o.heldOutLengths.length,
      ),
    ]),
  );
  const n = o.heldOutLengths.length;
  const resamples = o.resamples ?? ANALYSIS_DEFAULTS.restartResamples;
  const rng = createRng(o.seed ?? ANALYSIS_DEFAULTS.seed, 'restart-and-run-resample');
  const wins = new Map(ks.map((k) => [k, 0]));
  const counts = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(n)]++;
    let nObs = 0;
    for (let i = 0; i < n; i++) nObs += counts[i] * o.heldOutLengths[i];
    const scored = ks.map((k) => {
      const fits = byK.get(k)!;
      const drawn = fits.map(() => {
        const r = fits[rng.int(fits.length)];
        let ll = 0;
        for (let i = 0; i < n; i++) ll += counts[i] * r.heldOutPerRun[i];
        return { ...r, heldOutLogLikelihood: ll };
      });
      const { used } = pickRestart(drawn, nObs, o.comparableWithin, o.avoidDegenerate);
      const bics = drawn.map((r) => bic(r.heldOutLogLikelihood, k, o.nFeatures, nObs));
      return {
        k,
        best: used ? bic(used.heldOutLogLikelihood, k, o.nFeatures, nObs) : NaN,
        mean: bics.length ? bics.reduce((a, v) => a + v, 0) / bics.length : NaN,
      };
    });
    const winner = argminK(scored, (s) => (selection.criterion === 'mean' ? s.mean : s.best));
    if (winner !== undefined) wins.set(winner, wins.get(winner)! + 1);
  }
  return new Map([...wins].map(([k, w]) => [k, w / Math.max(1, resamples)]));
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

/** The Ks the data cannot tell from the chosen one (the chosen K first), each with its weight in the supports. */
export function plausibleKs(selection: ModelSelection, kChoice: KChoice, o: PlausibleKOptions): PlausibleK[] {
  const share = o.share ?? kChoice.share;
  const chance = chanceOfEachK(selection, o);
  const restartShare = (k: number) => {
    const w = kChoice.restartResamples.wins.find((x) => x.k === k);
    return w ? (kChoice.criterion === 'mean' ? w.mean : w.best) : 0;
  };
  const out: Omit<PlausibleK, 'weight'>[] = [];
  for (const [k, c] of chance) {
    const chosen = k === selection.chosenK;
    const reasons: string[] = [];
    if (chosen) reasons.push('chosen');
    if (!chosen && c >= share) reasons.push(`chosen in ${pct(c)} of the resamples of restarts and held-out runs`);
    if (!chosen && kChoice.indistinguishable.includes(k))
      reasons.push(`wins ${pct(restartShare(k))} of the restart resamples`);
    if (reasons.length) out.push({ k, chosen, chance: c, restartShare: restartShare(k), reasons });
  }
  const total = out.reduce((a, p) => a + p.chance, 0);
  return out
    .map((p) => ({ ...p, weight: total > 0 ? p.chance / total : 1 / out.length }))
    .sort((a, b) => Number(b.chosen) - Number(a.chosen) || a.k - b.k);
}

export interface KSupport {
  k: number;
  /** Its weight in the supports (PlausibleK.weight). */
  weight: number;
  /** Restarts fitted at this K, and those within the tolerance of its best. */
  restarts: number;
  comparable: number;
  linear: number;
  forking: number;
  /** Share of the comparable fits whose map has the shown map's shape. */
  verdictShare: number;
  reasons: string[];
}

export interface SupportAcrossK {
  /** The plausible Ks, ascending. */
  ks: number[];
  /** Each plausible K weighs in by its chance of being chosen (perK[].weight); within it each comparable fit equally. */
  weighting: 'chance-of-k';
  /** Comparable fits over all plausible Ks: what the supports rest on. */
  fits: number;
  perK: KSupport[];
  verdict: { shape: 'linear' | 'forking'; support: number };
  /** Every edge some comparable fit has, in the shown numbering; `shown` marks the shown map's. */
  edges: { from: number; to: number; support: number; shown: boolean }[];
  /** The shown map's detours and their support. */
  detours: { state: number; support: number }[];
  /** Per shown state: its support as visited and as a detour. */
  states: { state: number; visited: number; detour: number }[];
}

/** One comparable fit as the supports see it, in the shown numbering. */
interface FitView {
  shape: 'linear' | 'forking';
  edges: Set<string>;
  visited: Set<number>;
  detours: Set<number>;
}

/**
 * How a fit at another K reads in the shown numbering: one-to-one matched states by the Hungarian assignment on
 * squared distances between means; with more states than shown, each left-over state is read as the shown state
 * nearest to it (a finer fit splits a phase, and its path through both halves is the shown path), but only the
 * matched states can carry a detour. With fewer, shown states without a counterpart are absent from that fit.
 */
function viewAtOtherK(
  r: FitJobResult,
  shownParams: HMMParams,
  obs: ObservationSet,
  convergence: { times: readonly number[]; converged: readonly boolean[] } | undefined,
): FitView {
  const params = fromFlat(r.fit!.params);
  const cost = meansCost(shownParams, params);
  const matched = assignStates(cost);
  const read = matched.map((m, s) => (m >= 0 ? m : cost[s].indexOf(Math.min(...cost[s]))));
  const raw = decodeObservations(r.fit!.params, obs);
  const paths = raw.map((p) => Array.from(p, (s) => read[s]));
  const visited = new Set<number>();
  for (const p of paths) for (const s of p) visited.add(s);
  let detours = new Set<number>();
  if (convergence) {
    const k = params.startprob.length;
    const reg = bagOfStatesRegression(raw, k, convergence.times);
    detours = new Set(
      detourStates(reg.coefficients, raw, convergence.converged)
        .filter((s) => matched[s] >= 0)
        .map((s) => matched[s]),
    );
  }
  return {
    shape: r.shape ?? 'forking',
    edges: new Set(pathEdges(paths).map((e) => `${e.from}>${e.to}`)),
    visited,
    detours,
  };
}

export interface SupportAcrossKInput {
  plausible: readonly PlausibleK[];
  /** The stability report at the chosen K: its comparable fits are that K's share. */
  stability: StabilityReport;
  /** Every fit at every plausible K (selection and stability restarts). */
  fits: readonly FitJobResult[];
  shownParams: HMMParams;
  shownDetours: readonly number[];
  obs: ObservationSet;
  convergence?: { times: readonly number[]; converged: readonly boolean[] };
  nHeldOutObservations: number;
  comparableWithin: number;
  onFit?: (done: number, total: number) => void;
}

export function assessSupportAcrossK(input: SupportAcrossKInput): SupportAcrossK {
  const { stability, plausible } = input;
  const k = stability.k;
  const shape = stability.verdict.shape;
  const views = new Map<number, FitView[]>();
  const perK: KSupport[] = [];
  const others = plausible.filter((p) => p.k !== k);
  const comparableAt = (kk: number) => {
    const ok = input.fits.filter((r) => r.job.k === kk && r.fit && Number.isFinite(r.heldOutLogLikelihood));
    const best = Math.max(...ok.map((r) => r.heldOutLogLikelihood));
    return {
      restarts: ok.length,
      comparable: ok.filter(
        (r) => (best - r.heldOutLogLikelihood) / input.nHeldOutObservations <= input.comparableWithin,
      ),
    };
  };
  const total = others.reduce((n, p) => n + comparableAt(p.k).comparable.length, 0);
  let done = 0;
  if (total > 0) input.onFit?.(0, total);
  for (const p of plausible) {
    let restarts: number;
    let list: FitView[];
    if (p.k === k) {
      const comparable = stability.fits.filter((f) => f.comparable || f.shown);
      restarts = stability.fits.length;
      list = comparable.map((f) => ({
        shape: f.shape,
        edges: new Set(f.edges),
        visited: new Set(f.visited),
        detours: new Set(f.detours),
      }));
    } else {
      const at = comparableAt(p.k);
      restarts = at.restarts;
      list = at.comparable.map((r) => {
        const v = viewAtOtherK(r, input.shownParams, input.obs, input.convergence);
        input.onFit?.(++done, total);
        return v;
      });
    }
    views.set(p.k, list);
    perK.push({
      k: p.k,
      weight: p.weight,
      restarts,
      comparable: list.length,
      linear: list.filter((v) => v.shape === 'linear').length,
      forking: list.filter((v) => v.shape === 'forking').length,
      verdictShare: list.length ? list.filter((v) => v.shape === shape).length / list.length : NaN,
      reasons: p.reasons,
    });
  }
  const counted = perK.filter((s) => s.comparable > 0);
  // Each plausible K weighs in by its chance of being chosen; within a K each comparable fit counts equally.
  const weightSum = counted.reduce((a, s) => a + s.weight, 0);
  const support = (pred: (v: FitView) => boolean) =>
    counted.reduce((sum, s) => {
      const list = views.get(s.k)!;
      return sum + (s.weight / weightSum) * (list.filter(pred).length / list.length);
    }, 0);
  const shownEdges = new Set(stability.fits.find((f) => f.shown)!.edges);
  const edgeKeys = new Set<string>();
  for (const list of views.values()) for (const v of list) for (const e of v.edges) edgeKeys.add(e);
  const edges = [...edgeKeys]
    .map((key) => {
      const [from, to] = key.split('>').map(Number);
      return { from, to, support: support((v) => v.edges.has(key)), shown: shownEdges.has(key) };
    })
    .sort((a, b) => Number(b.shown) - Number(a.shown) || a.from - b.from || a.to - b.to);
  return {
    ks: counted.map((s) => s.k).sort((a, b) => a - b),
    weighting: 'chance-of-k',
    fits: counted.reduce((n, s) => n + s.comparable, 0),
    perK: perK.sort((a, b) => a.k - b.k),
    verdict: { shape, support: support((v) => v.shape === shape) },
    edges,
    detours: input.shownDetours.map((state) => ({ state, support: support((v) => v.detours.has(state)) })),
    states: Array.from({ length: k }, (_, state) => ({
      state,
      visited: support((v) => v.visited.has(state)),
      detour: support((v) => v.detours.has(state)),
    })),
  };
}

/** "7–8" for consecutive Ks, "5, 7" otherwise. */
export function formatKs(ks: readonly number[]): string {
  const s = [...ks].sort((a, b) => a - b);
  if (s.length > 1 && s.every((k, i) => i === 0 || k === s[i - 1] + 1)) return `${s[0]}–${s[s.length - 1]}`;
  return s.join(', ');
}

/** A support as the page and the summary say it: "62% of 31 fits, K = 7–8". */
export function describeSupport(support: number, s: Pick<SupportAcrossK, 'fits' | 'ks'>): string {
  return `${Math.round(100 * support)}% of ${s.fits} fit${s.fits === 1 ? '' : 's'}, K = ${formatKs(s.ks)}`;
}

/** The verdict with its support: "forking · 62% of 31 fits, K = 7–8". */
export function describeVerdict(s: SupportAcrossK): string {
  return `${s.verdict.shape} · ${describeSupport(s.verdict.support, s)}`;
}
