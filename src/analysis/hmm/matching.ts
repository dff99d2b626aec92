import { hungarian } from '../../numeric/hungarian.ts';
import type { HMMParams } from './types.ts';

function sqDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/**
 * Matches a new fit's states to a reference fit's by their means (Hungarian on squared Euclidean
 * distance). Returns `order`: new state order[i] plays the role of reference state i; states beyond
 * the reference's count keep their relative order after the matched ones.
 */
export function matchStates(reference: HMMParams, candidate: HMMParams): number[] {
  const kr = reference.means.length;
  const kc = candidate.means.length;
  if (kc <= kr) {
    // Each candidate state finds a distinct reference slot; slots left over are dropped.
    const cost = candidate.means.map((m) => reference.means.map((r) => sqDistance(m, r)));
    const slot = hungarian(cost);
    return Array.from({ length: kc }, (_, i) => i).sort((a, b) => slot[a] - slot[b]);
  }
  const cost = reference.means.map((r) => candidate.means.map((m) => sqDistance(m, r)));
  const matched = hungarian(cost);
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
    throw new Error(`matchStatesByOverlap: ${referencePaths.length} reference paths but ${candidatePaths.length} candidate paths`);
  const overlap = Array.from({ length: kReference }, () => new Array<number>(kCandidate).fill(0));
  referencePaths.forEach((ref, r) => {
    const cand = candidatePaths[r];
    if (cand.length !== ref.length) throw new Error(`matchStatesByOverlap: path ${r} has ${ref.length} and ${cand.length} checkpoints`);
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
