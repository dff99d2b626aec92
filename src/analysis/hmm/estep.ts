import { factorGaussians, gaussianLogDensities, type GaussianFactors } from './gaussian.ts';
import { ForwardBackwardWorkspace, forwardBackward } from './forwardBackward.ts';
import { simdKernels, type SimdWorkspace } from './simd/simdKernels.ts';
import type { FlatParams, ObservationSet } from './types.ts';

/** Expected sufficient statistics of one E-step over all sequences. */
export interface SufficientStats {
  start: Float64Array; // K
  trans: Float64Array; // K×K
  post: Float64Array; // K
  obs: Float64Array; // K×D
  obsObs: Float64Array; // K×D×D, lower triangle filled
  logLikelihood: number;
}

export function emptyStats(k: number, d: number): SufficientStats {
  return {
    start: new Float64Array(k),
    trans: new Float64Array(k * k),
    post: new Float64Array(k),
    obs: new Float64Array(k * d),
    obsObs: new Float64Array(k * d * d),
    logLikelihood: 0,
  };
}

function maxLength(obs: ObservationSet): number {
  let m = 0;
  for (const l of obs.lengths) m = Math.max(m, l);
  return m;
}

/** One SIMD workspace (a copy of the data in wasm memory) per observation set, shared by every fit on it. */
const simdWorkspaces = new WeakMap<ObservationSet, SimdWorkspace>();

function simdWorkspaceFor(obs: ObservationSet): SimdWorkspace | null {
  const kernels = simdKernels();
  if (!kernels) return null;
  let ws = simdWorkspaces.get(obs);
  if (!ws) {
    ws = kernels.createWorkspace(obs.data, obs.nObservations, obs.nFeatures);
    simdWorkspaces.set(obs, ws);
  }
  return ws;
}

/** The two bit-identical implementations of the E-step's kernels. */
export type EStepKernels = 'simd' | 'javascript';

let preferredKernels: EStepKernels = 'simd';
const eStepsRun: Record<EStepKernels, number> = { simd: 0, javascript: 0 };

/**
 * Chooses the kernels of every E-step workspace created from now on, so that a whole fit or score can be
 * run on either path (tests and benchmarks compare the two). 'simd', the default, still falls back to
 * JavaScript where WebAssembly SIMD is missing. Workspaces already created keep their kernels.
 */
export function setEStepKernels(kernels: EStepKernels): void {
  if (kernels !== 'simd' && kernels !== 'javascript')
    throw new Error(`E-step kernels must be 'simd' or 'javascript', got '${String(kernels)}'`);
  preferredKernels = kernels;
}

/** How many E-steps each path has run in this thread: lets a caller check which one a fit really took. */
export function eStepCounts(): Readonly<Record<EStepKernels, number>> {
  return { ...eStepsRun };
}

/**
 * Reusable buffers for repeated E-steps on the same data. The WebAssembly SIMD kernels are used where
 * the runtime has them (bit-identical to the JavaScript loops, about 5× faster); `simd: false` or
 * setEStepKernels('javascript') forces JS.
 */
export class EStepWorkspace {
  readonly simd: SimdWorkspace | null;
  readonly fb: ForwardBackwardWorkspace;
  readonly logB: Float64Array;
  /** Posteriors of every checkpoint (N×K), kept so each state's total mass is known before its moments are summed. */
  readonly gamma: Float64Array;
  readonly wx: Float64Array;
  readonly xx: Float64Array;
  readonly negligible: Float64Array;
  constructor(
    obs: ObservationSet,
    readonly nStates: number,
    options: { simd?: boolean } = {},
  ) {
    const t = maxLength(obs);
    this.simd = options.simd === false || preferredKernels === 'javascript' ? null : simdWorkspaceFor(obs);
    this.wx = new Float64Array(4 * obs.nFeatures);
    this.xx = new Float64Array(4 * obs.nFeatures);
    this.negligible = new Float64Array(nStates);
    this.fb = new ForwardBackwardWorkspace(t, nStates);
    this.logB = new Float64Array(t * nStates);
    this.gamma = new Float64Array(obs.nObservations * nStates);
  }
}

/**
 * One E-step. With `stats`, accumulates the sufficient statistics; always returns the per-sequence
 * log-likelihoods. `factors` may be passed when the caller already factored the covariances.
 */
export function expectationStep(
  obs: ObservationSet,
  p: FlatParams,
  ws: EStepWorkspace,
  stats: SufficientStats | null,
  factors: GaussianFactors = factorGaussians(p.nStates, p.nFeatures, p.means, p.covars),
): Float64Array {
  const k = p.nStates;
  const d = p.nFeatures;
  const { logB, gamma } = ws;
  const perSequence = new Float64Array(obs.lengths.length);
  const sw = ws.simd;
  eStepsRun[sw ? 'simd' : 'javascript']++;
  sw?.setGaussians(factors);
  for (let s = 0; s < obs.lengths.length; s++) {
    const row0 = obs.offsets[s];
    const len = obs.lengths[s];
    const g = gamma.subarray(row0 * k, (row0 + len) * k);
    const xi = stats ? stats.trans : null;
    let r;
    if (sw) {
      sw.logDensities(row0, len, logB);
      r = sw.forwardBackward(logB, len, p.startprob, p.transmat, g, xi);
    } else {
      gaussianLogDensities(factors, obs.data, row0, len, logB);
      r = forwardBackward(logB, len, p.startprob, p.transmat, g, xi, ws.fb);
    }
    perSequence[s] = r.logLikelihood;
    if (stats) for (let i = 0; i < k; i++) stats.start[i] += g[i];
  }
  if (stats) {
    const n = obs.nObservations;
    for (let t = 0; t < n; t++) for (let i = 0; i < k; i++) stats.post[i] += gamma[t * k + i];
    for (let i = 0; i < k; i++) ws.negligible[i] = NEGLIGIBLE_SHARE * stats.post[i];
    if (sw) sw.accumulateMoments(gamma, k, ws.negligible, stats.obs, stats.obsObs);
    else accumulateMoments(obs.data, n, gamma, k, d, stats.obs, stats.obsObs, ws.negligible, ws.wx, ws.xx);
  }
  if (stats) stats.logLikelihood = perSequence.reduce((a, b) => a + b, 0);
  return perSequence;
}

/**
 * A block of checkpoints whose posterior weight for a state is below this share of the state's total
 * contributes less than the rounding of the sums it would be added to, and is skipped. Posteriors
 * concentrate on one or two states at a time, so this skips most of the work.
 */
export const NEGLIGIBLE_SHARE = 1e-17;

/**
 * obs_k += Σ γ_tk x_t, obsObs_k += Σ γ_tk x_t x_tᵀ (lower triangle), over all N rows.
 * Four checkpoints are folded into each read-modify-write of obsObs, which is what bounds this loop.
 */
export function accumulateMoments(
  data: Float64Array,
  n: number,
  gamma: Float64Array,
  k: number,
  d: number,
  obs: Float64Array,
  obsObs: Float64Array,
  negligible: Float64Array,
  wx: Float64Array = new Float64Array(4 * d),
  xx: Float64Array = new Float64Array(4 * d),
): void {
  for (let i = 0; i < k; i++) {
    const oo = i * d * d;
    const mo = i * d;
    const skipBelow = negligible[i];
    let t = 0;
    for (; t + 4 <= n; t += 4) {
      const x0 = t * d;
      const g0 = gamma[t * k + i];
      const g1 = gamma[(t + 1) * k + i];
      const g2 = gamma[(t + 2) * k + i];
      const g3 = gamma[(t + 3) * k + i];
      if (g0 + g1 + g2 + g3 <= skipBelow) continue;
      for (let a = 0; a < d; a++) {
        const v0 = data[x0 + a];
        const v1 = data[x0 + d + a];
        const v2 = data[x0 + 2 * d + a];
        const v3 = data[x0 + 3 * d + a];
        const b = 4 * a;
        xx[b] = v0;
        xx[b + 1] = v1;
        xx[b + 2] = v2;
        xx[b + 3] = v3;
        wx[b] = g0 * v0;
        wx[b + 1] = g1 * v1;
        wx[b + 2] = g2 * v2;
        wx[b + 3] = g3 * v3;
        obs[mo + a] += wx[b] + wx[b + 1] + wx[b + 2] + wx[b + 3];
      }
      for (let a = 0; a < d; a++) {
        const ro = oo + a * d;
        const a4 = 4 * a;
        const w0 = wx[a4];
        const w1 = wx[a4 + 1];
        const w2 = wx[a4 + 2];
        const w3 = wx[a4 + 3];
        for (let b = 0; b <= a; b++) {
          const b4 = 4 * b;
          obsObs[ro + b] += w0 * xx[b4] + w1 * xx[b4 + 1] + w2 * xx[b4 + 2] + w3 * xx[b4 + 3];
        }
      }
    }
    for (; t < n; t++) {
      const w = gamma[t * k + i];
      const xo = t * d;
      for (let a = 0; a < d; a++) {
        const wa = w * data[xo + a];
        obs[mo + a] += wa;
        const ro = oo + a * d;
        for (let b = 0; b <= a; b++) obsObs[ro + b] += wa * data[xo + b];
      }
    }
  }
}

/** The checkpoint the model explains worst (lowest best-state log-density): where an empty state is re-seeded. */
export function worstExplainedRow(obs: ObservationSet, p: FlatParams): number {
  const k = p.nStates;
  const g = factorGaussians(k, p.nFeatures, p.means, p.covars);
  const logB = new Float64Array(maxLength(obs) * k);
  let worst = Infinity;
  let row = 0;
  for (let s = 0; s < obs.lengths.length; s++) {
    gaussianLogDensities(g, obs.data, obs.offsets[s], obs.lengths[s], logB);
    for (let t = 0; t < obs.lengths[s]; t++) {
      let best = -Infinity;
      for (let i = 0; i < k; i++) if (logB[t * k + i] > best) best = logB[t * k + i];
      if (best < worst) {
        worst = best;
        row = obs.offsets[s] + t;
      }
    }
  }
  return row;
}
