/**
 * method.md §7: how the states of a fit are numbered, and what follows them across refits. Numbers always read in
 * time order (by mean first visit), at every fit and refit; a separate identity, matched to the previous fit's
 * states, is what stays put (colours follow it), so a state that moves earlier in time gets a smaller number but
 * keeps its colour.
 */
import { assignStates, meansCost, pathsCost } from './hmm/matching.ts';
import type { HMMParams } from './hmm/types.ts';

/** A previous fit to carry identities from: its parameters, and where known its runs' decoded paths and identities. */
export interface PreviousFit {
  params: HMMParams;
  features: string[];
  /** What the previous fit decoded of each run (matching by shared checkpoints survives renormalization as runs grow). */
  paths?: { key: string; path: number[] }[];
  /** The identity of each of its states (absent: its state numbers, as analyses exported before identities were). */
  identity?: number[];
}

export interface StateNumbering {
  /** Shown state i is the fitted state order[i]. */
  order: number[];
  /** The identity of each shown state. */
  identity: number[];
  /** How identities were carried: none (a first fit), by the runs' decoded paths, or by state means. */
  matchedBy: 'none' | 'paths' | 'means';
}

/**
 * Fitted states ordered by the mean, over the runs that visit them, of the relative position of their first visit
 * (first index / run length); states no run visits go last; ties keep the fitted order. One pass over each path.
 */
export function firstVisitOrder(paths: readonly ArrayLike<number>[], k: number): number[] {
  const sum = new Float64Array(k);
  const runs = new Float64Array(k);
  const first = new Int32Array(k);
  for (const p of paths) {
    first.fill(-1);
    for (let t = 0; t < p.length; t++) if (first[p[t]] < 0) first[p[t]] = t;
    for (let s = 0; s < k; s++) {
      if (first[s] < 0) continue;
      sum[s] += first[s] / p.length;
      runs[s]++;
    }
  }
  const mean = Array.from({ length: k }, (_, s) => (runs[s] > 0 ? sum[s] / runs[s] : Infinity));
  return Array.from({ length: k }, (_, s) => s).sort((a, b) => mean[a] - mean[b] || a - b);
}

/**
 * Numbers a fit's states by first visit and gives each an identity: without a previous fit, its number; with
 * one, the identity of the previous state it is matched to (Hungarian, on shared checkpoints when the previous
 * paths are given, else on state means), and states left unmatched (K grew) the smallest identities the previous
 * fit did not use.
 */
export function numberStates(
  params: HMMParams,
  paths: readonly ArrayLike<number>[],
  previous?: { fit: PreviousFit; pathsOfRuns?: readonly (ArrayLike<number> | undefined)[] },
): StateNumbering {
  const k = params.startprob.length;
  const order = firstVisitOrder(paths, k);
  if (!previous) return { order, identity: order.map((_, i) => i), matchedBy: 'none' };
  const prev = previous.fit;
  const kPrev = prev.params.startprob.length;
  const prevIdentity = prev.identity && prev.identity.length === kPrev ? prev.identity : [...Array(kPrev).keys()];
  const byPaths = previous.pathsOfRuns !== undefined && previous.pathsOfRuns.some((p) => p !== undefined);
  const cost = byPaths ? pathsCost(previous.pathsOfRuns!, paths, kPrev, k) : meansCost(prev.params, params);
  const matched = assignStates(cost);
  const used = new Set(prevIdentity);
  let fresh = 0;
  const identity = order.map((fitted) => {
    if (matched[fitted] >= 0) return prevIdentity[matched[fitted]];
    while (used.has(fresh)) fresh++;
    used.add(fresh);
    return fresh;
  });
  return { order, identity, matchedBy: byPaths ? 'paths' : 'means' };
}
