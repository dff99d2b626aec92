/**
 * A convergence forecast (the paper's future work): for a run that has not converged yet, when will it? From
 * the fitted transition matrix and the run's filtered posterior at its last checkpoint, the expected number of
 * checkpoints until the chain first enters the converged states (the states where converged runs sit).
 *
 * With C the converged states, U the states that cannot reach C and T the rest, and Q the transitions among T:
 *   reach probability r = (I − Q)⁻¹ A[T,C] 1,   m = E[wait · 1{reach}] = (I − Q)⁻¹ r,   s = E[wait² · 1{reach}] = (I − Q)⁻¹ (2m − r),
 * so the wait given that C is reached has mean m/r and variance s/r − (m/r)². Every state in T reaches C, so
 * I − Q is invertible. A run's forecast mixes these over its posterior α: P(reach) = Σ α r, and so on.
 *
 * Its error is measured where the answer is known: each converged run, cut before it converged (at 25 %, 50 %
 * and 75 % of its convergence time), is forecast from the cut and compared with when it did converge; next to a
 * naive forecast (the median convergence time of the other converged runs) for scale.
 */
import { solveLinear } from '../numeric/linalg.ts';
import { medianWithout } from '../numeric/stats.ts';
import { filteredPosteriors } from './hmm/filter.ts';
import { emissionLogLikelihoods } from './hmm/inference.ts';
import { toFlat } from './hmm/params.ts';
import type { HMMParams, ObservationSet } from './hmm/types.ts';

/** Where the chain goes from each state: the probability of ever reaching C, and the wait's moments given it does. */
export interface HittingTimes {
  converged: number[];
  /** P(ever in C | now in state i): 1 in C, 0 for states that cannot reach it. */
  reach: number[];
  /** E[wait · 1{reach}] and E[wait² · 1{reach}] in checkpoints (0 in C and where C is never reached). */
  m: number[];
  s: number[];
}

export interface WaitForecast {
  /** Probability that the run ever reaches a converged state. */
  reach: number;
  /** Probability that it is in one now. */
  now: number;
  /** Expected checkpoints until it first is, given that it gets there; null when it more likely never does. */
  wait: number | null;
  sd: number | null;
}

export interface RunForecast extends WaitForecast {
  key: string;
  /** Checkpoints recorded so far; the forecast is made at the last of them. */
  checkpoints: number;
  /** The checkpoint (index) at which it is expected to converge, and the training step that would be. */
  checkpoint: number | null;
  step: number | null;
  /** Why there is no forecast, when there is none. */
  reason?: string;
}

export interface BacktestCut {
  /** Fraction of each converged run's convergence time at which it was cut. */
  fraction: number;
  /** Forecasts made (cuts before convergence with a forecast), and cuts without one (judged never to converge). */
  forecasts: number;
  withoutForecast: number;
  /** Mean absolute error in checkpoints, of the forecast and of the naive one on the same cuts. */
  mae: number | null;
  naiveMae: number | null;
}

export interface ConvergenceForecast {
  /** The states where converged runs sit (most of a state's checkpoints come after its run converged; else where most converged runs end). */
  convergedStates: number[];
  /** Expected wait from each state given that C is reached (null where it never is). */
  waitFromState: (number | null)[];
  /** One forecast for each included run that has not converged by its last checkpoint. */
  runs: RunForecast[];
  /** The forecast's error on converged runs cut before they converged (the fit saw these runs whole). */
  backtest: { cuts: BacktestCut[]; mae: number | null; naiveMae: number | null; forecasts: number };
}

export type ForecastResult = ConvergenceForecast | { skipped: string };

/** Forecasts below this reach probability say "more likely never" rather than a time. */
export const MIN_REACH = 0.5;
export const BACKTEST_FRACTIONS = [0.25, 0.5, 0.75] as const;

/** First-passage quantities of the chain `transmat` into the states `converged`. */
export function hittingTimes(transmat: readonly (readonly number[])[], converged: readonly number[]): HittingTimes {
  const k = transmat.length;
  const inC = new Array<boolean>(k).fill(false);
  for (const c of converged) {
    if (!(Number.isInteger(c) && c >= 0 && c < k))
      throw new Error(`converged state ${c} is not a state of a ${k}-state chain`);
    inC[c] = true;
  }
  // States that can reach C along transitions of positive probability (a backward search from C).
  const reaches = [...inC];
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < k; i++)
      if (!reaches[i] && transmat[i].some((p, j) => p > 0 && reaches[j])) changed = reaches[i] = true;
  }
  const t = Array.from({ length: k }, (_, i) => i).filter((i) => reaches[i] && !inC[i]);
  const n = t.length;
  const reach = inC.map((c): number => (c ? 1 : 0));
  const m = new Array<number>(k).fill(0);
  const s = new Array<number>(k).fill(0);
  if (n > 0) {
    const q = new Float64Array(n * n);
    const toC = new Float64Array(n);
    t.forEach((i, a) => {
      t.forEach((j, b) => (q[a * n + b] = transmat[i][j]));
      for (let j = 0; j < k; j++) if (inC[j]) toC[a] += transmat[i][j];
    });
    // I − Q: a transient state's expected visits before absorption (fundamental matrix) solve against it.
    const iq = q.map((v, at) => (at % (n + 1) === 0 ? 1 : 0) - v);
    const singular = 'I − Q is singular: some transient state cannot leave its class';
    const [r] = solveLinear(iq, n, [toC], singular);
    const [mm] = solveLinear(iq, n, [r], singular);
    const [ss] = solveLinear(iq, n, [r.map((ri, a) => 2 * mm[a] - ri)], singular);
    t.forEach((i, a) => {
      reach[i] = Math.min(1, Math.max(0, r[a]));
      m[i] = mm[a];
      s[i] = ss[a];
    });
  }
  return { converged: [...converged].sort((a, b) => a - b), reach, m, s };
}

/** The forecast from a posterior over states (at the checkpoint the forecast is made). */
export function forecastWait(h: HittingTimes, posterior: ArrayLike<number>): WaitForecast {
  let reach = 0;
  let now = 0;
  let m = 0;
  let s = 0;
  const inC = new Set(h.converged);
  for (let i = 0; i < posterior.length; i++) {
    reach += posterior[i] * h.reach[i];
    if (inC.has(i)) now += posterior[i];
    m += posterior[i] * h.m[i];
    s += posterior[i] * h.s[i];
  }
  if (!(reach >= MIN_REACH)) return { reach, now, wait: null, sd: null };
  const wait = m / reach;
  return { reach, now, wait, sd: Math.sqrt(Math.max(0, s / reach - wait * wait)) };
}

/**
 * States most of whose checkpoints come at or after their run's convergence (in runs that converged); when none
 * is, the state most converged runs end in.
 */
export function convergedStates(
  paths: readonly ArrayLike<number>[],
  k: number,
  convergence: readonly { checkpoint: number; converged: boolean }[],
): number[] {
  const after = new Array<number>(k).fill(0);
  const total = new Array<number>(k).fill(0);
  paths.forEach((p, r) => {
    for (let t = 0; t < p.length; t++) {
      total[p[t]]++;
      if (convergence[r].converged && t >= convergence[r].checkpoint) after[p[t]]++;
    }
  });
  const most = after.flatMap((a, s) => (a > 0 && a >= 0.5 * total[s] ? [s] : []));
  if (most.length > 0) return most;
  // Early on, converged runs have spent little time converged: the state most of them end in stands for it.
  const ends = new Array<number>(k).fill(0);
  paths.forEach((p, r) => void (convergence[r].converged && p.length > 0 && ends[p[p.length - 1]]++));
  const top = Math.max(...ends);
  return top > 0 ? [ends.indexOf(top)] : [];
}

export interface ForecastInput {
  params: HMMParams;
  obs: ObservationSet;
  /** Decoded paths in the params' numbering, one per sequence of obs. */
  paths: readonly ArrayLike<number>[];
  convergence: readonly { checkpoint: number; converged: boolean }[];
  keys: readonly string[];
  /** Training steps of each run's checkpoints (to say when in steps), where known. */
  steps?: readonly (readonly number[] | undefined)[];
  /** Emission log-likelihoods (T×K per sequence, in the params' numbering) when the caller has them already. */
  logB?: readonly Float64Array[];
}

export function convergenceForecast(input: ForecastInput): ForecastResult {
  const { params, obs, paths, convergence, keys } = input;
  const k = params.startprob.length;
  const convergedRuns = convergence.filter((c) => c.converged).length;
  if (convergedRuns === 0)
    return { skipped: 'no run has converged yet, so there are no converged states to forecast the others into' };
  const states = convergedStates(paths, k, convergence);
  if (states.length === 0)
    return {
      skipped:
        'no state holds mostly checkpoints after convergence: the converged runs share no state to forecast into',
    };
  const h = hittingTimes(params.transmat, states);
  const flat = toFlat(params);
  const logB = input.logB ?? emissionLogLikelihoods(flat, obs);
  const filtered = logB.map((lb, r) => filteredPosteriors(lb, obs.lengths[r], flat.startprob, flat.transmat));
  const at = (r: number, t: number) => filtered[r].subarray(t * k, (t + 1) * k);

  const runs: RunForecast[] = [];
  convergence.forEach((c, r) => {
    if (c.converged) return;
    const n = obs.lengths[r];
    const f = forecastWait(h, at(r, n - 1));
    const checkpoint = f.wait === null ? null : n - 1 + f.wait;
    const steps = input.steps?.[r];
    let step: number | null = null;
    if (checkpoint !== null && steps && steps.length >= 2) {
      const spacing = (steps[steps.length - 1] - steps[0]) / (steps.length - 1);
      step = Math.round(steps[steps.length - 1] + f.wait! * spacing);
    }
    runs.push({
      key: keys[r],
      checkpoints: n,
      ...f,
      checkpoint,
      step,
      ...(f.wait === null
        ? { reason: `it more likely never reaches a converged state (P = ${f.reach.toFixed(2)} that it does)` }
        : {}),
    });
  });

  const times = convergence.flatMap((c, r) => (c.converged ? [{ r, c: c.checkpoint }] : []));
  // The naive forecast is the other runs' median: one sort, then each run's leave-one-out median in O(1).
  const sortedTimes = Float64Array.from(times, (x) => x.c).sort();
  const rankOf = new Map<number, number>();
  [...times].sort((a, b) => a.c - b.c).forEach((x, i) => rankOf.set(x.r, i));
  const cuts: BacktestCut[] = BACKTEST_FRACTIONS.map((fraction) => {
    const errors: number[] = [];
    const naive: number[] = [];
    let without = 0;
    for (const { r, c } of times) {
      const t = Math.floor(fraction * c);
      if (t >= c || c < 1) continue;
      const f = forecastWait(h, at(r, t));
      if (f.wait === null) {
        without++;
        continue;
      }
      errors.push(Math.abs(t + f.wait - c));
      if (times.length > 1) naive.push(Math.abs(Math.max(t + 1, medianWithout(sortedTimes, rankOf.get(r)!)) - c));
    }
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    return {
      fraction,
      forecasts: errors.length,
      withoutForecast: without,
      mae: mean(errors),
      naiveMae: naive.length === errors.length ? mean(naive) : null,
    };
  });
  const total = cuts.reduce((a, c) => a + c.forecasts, 0);
  const pooled = (pick: (c: BacktestCut) => number | null) =>
    total > 0 && cuts.every((c) => c.forecasts === 0 || pick(c) !== null)
      ? cuts.reduce((a, c) => a + (pick(c) ?? 0) * c.forecasts, 0) / total
      : null;
  return {
    convergedStates: states,
    waitFromState: h.reach.map((r, i) => (r >= MIN_REACH ? h.m[i] / r : null)),
    runs,
    backtest: { cuts, mae: pooled((c) => c.mae), naiveMae: pooled((c) => c.naiveMae), forecasts: total },
  };
}
