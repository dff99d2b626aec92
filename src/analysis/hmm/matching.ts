import { hungarian } from '../../numeric/hungarian.ts';
import type { HMMParams } from './types.ts';

function sqDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/** Squared distances between a candidate fit's state means (rows) and a reference fit's (columns). */
export function meansCost(reference: HMMParams, candidate: HMMParams): number[][] {
  return candidate.means.map((m) => reference.means.map((r) => sqDistance(m, r)));
}

/**
 * The minimum-cost one-to-one assignment on a candidate × reference cost matrix of any shape: for each candidate
 * state, its reference state, or −1 when there are more candidate states than reference states and it is left over.
 */
export function assignStates(cost: readonly (readonly number[])[]): number[] {
  const kc = cost.length;
  const kr = kc ? cost[0].length : 0;
  if (kc <= kr) return hungarian(cost);
  const referenceToCandidate = hungarian(Array.from({ length: kr }, (_, r) => cost.map((row) => row[r])));
  const out = new Array<number>(kc).fill(-1);
  referenceToCandidate.forEach((c, r) => (out[c] = r));
  return out;
}

/** The checkpoints (as a negative cost) a candidate's decoding puts in state a where the reference's put state b, over their common prefix run by run. */
export function pathsCost(
  referencePaths: readonly (ArrayLike<number> | undefined)[],
  candidatePaths: readonly ArrayLike<number>[],
  kReference: number,
  kCandidate: number,
): number[][] {
  const overlap = Array.from({ length: kCandidate }, () => new Array<number>(kReference).fill(0));
  candidatePaths.forEach((c, r) => {
    const ref = referencePaths[r];
    if (!ref) return;
    const n = Math.min(c.length, ref.length);
    for (let t = 0; t < n; t++) if (c[t] < kCandidate && ref[t] < kReference) overlap[c[t]][ref[t]]++;
  });
  return overlap.map((row) => row.map((v) => -v));
}

/**
 * Matches a new fit's states to a reference fit's by their means (Hungarian on squared Euclidean
 * distance). Returns `order`: new state order[i] plays the role of reference state i; states beyond
 * the reference's count keep their relative order after the matched ones.
 */
export function matchStates(reference: HMMParams, candidate: HMMParams): number[] {
  return orderFromCost(meansCost(reference, candidate));
}

/**
 * Matches by what the states were used for: how many checkpoints the candidate's decoding puts in state a where
 * the reference's put state b, over the checkpoints both decoded (their common prefix, run by run). Unlike
 * means, this survives a change of normalization as runs grow, which is what live refits see.
 */
export function matchStatesByPaths(
  referencePaths: readonly (ArrayLike<number> | undefined)[],
  candidatePaths: readonly ArrayLike<number>[],
  kReference: number,
  kCandidate: number,
): number[] {
  return orderFromCost(pathsCost(referencePaths, candidatePaths, kReference, kCandidate));
}

/** `order` from a candidate × reference cost matrix (see matchStates). */
function orderFromCost(cost: number[][]): number[] {
  const kc = cost.length;
  const kr = kc ? cost[0].length : 0;
  if (kc <= kr) {
    // Each candidate state finds a distinct reference slot; slots left over are dropped.
    const slot = hungarian(cost);
    return Array.from({ length: kc }, (_, i) => i).sort((a, b) => slot[a] - slot[b]);
  }
  const transposed = Array.from({ length: kr }, (_, r) => cost.map((row) => row[r]));
  const matched = hungarian(transposed);
  const rest = Array.from({ length: kc }, (_, i) => i).filter((i) => !matched.includes(i));
  return [...matched, ...rest];
}

/** The same model with its states renumbered: new state i is old state order[i]. */
export function permuteParams(p: HMMParams, order: readonly number[]): HMMParams {
  if (order.length !== p.startprob.length || new Set(order).size !== order.length) {
    throw new Error('permuteParams: order must be a permutation of the states');
  }
  return {
    startprob: order.map((i) => p.startprob[i]),
    transmat: order.map((i) => order.map((j) => p.transmat[i][j])),
    means: order.map((i) => p.means[i].slice()),
    covars: order.map((i) => p.covars[i].map((r) => r.slice())),
  };
}

/** Renumbers a state path after permuteParams with the same order. */
export function permutePath(path: ArrayLike<number>, order: readonly number[]): number[] {
  const inverse = new Array<number>(order.length);
  order.forEach((old, i) => (inverse[old] = i));
  return Array.from(path, (s) => inverse[s]);
}

/**
 * Matches a new fit's states to a reference fit's on the same runs by the checkpoints they share: the
 * Hungarian assignment that maximizes the number of checkpoints both Viterbi paths put in matched
 * states. Same convention as matchStates: new state order[i] plays reference state i.
 */
export function matchStatesByOverlap(
  referencePaths: readonly ArrayLike<number>[],
  candidatePaths: readonly ArrayLike<number>[],
  kReference: number,
  kCandidate: number,
): number[] {
  if (referencePaths.length !== candidatePaths.length)
    throw new Error(
      `matchStatesByOverlap: ${referencePaths.length} reference paths but ${candidatePaths.length} candidate paths`,
    );
  const overlap = Array.from({ length: kReference }, () => new Array<number>(kCandidate).fill(0));
  referencePaths.forEach((ref, r) => {
    const cand = candidatePaths[r];
    if (cand.length !== ref.length)
      throw new Error(`matchStatesByOverlap: path ${r} has ${ref.length} and ${cand.length} checkpoints`);
    for (let t = 0; t < ref.length; t++) overlap[ref[t]][cand[t]]++;
  });
  if (kCandidate <= kReference) {
    const slot = hungarian(Array.from({ length: kCandidate }, (_, c) => overlap.map((row) => -row[c])));
    return Array.from({ length: kCandidate }, (_, i) => i).sort((a, b) => slot[a] - slot[b]);
  }
  const matched = hungarian(overlap.map((row) => row.map((v) => -v)));
  const rest = Array.from({ length: kCandidate }, (_, i) => i).filter((i) => !matched.includes(i));
  return [...matched, ...rest];
}
