import { flatten2d } from '../../numeric/linalg.ts';
import type { FlatParams, HMMParams } from './types.ts';

export function toFlat(p: HMMParams): FlatParams {
  const k = p.startprob.length;
  const d = p.means[0]?.length ?? 0;
  const covars = new Float64Array(k * d * d);
  p.covars.forEach((c, i) => covars.set(flatten2d(c), i * d * d));
  return {
    nStates: k,
    nFeatures: d,
    startprob: Float64Array.from(p.startprob),
    transmat: flatten2d(p.transmat),
    means: flatten2d(p.means),
    covars,
  };
}

export function fromFlat(f: FlatParams): HMMParams {
  const { nStates: k, nFeatures: d } = f;
  const rows = (x: Float64Array, r: number, c: number, off = 0): number[][] =>
    Array.from({ length: r }, (_, i) => Array.from(x.subarray(off + i * c, off + (i + 1) * c)));
  return {
    startprob: Array.from(f.startprob),
    transmat: rows(f.transmat, k, k),
    means: rows(f.means, k, d),
    covars: Array.from({ length: k }, (_, s) => rows(f.covars, d, d, s * d * d)),
  };
}

/** Checks shapes and probabilities; throws an Error that says what is wrong. */
export function validateParams(p: HMMParams, nFeatures?: number): void {
  const k = p.startprob?.length ?? 0;
  if (k < 1) throw new Error('HMM parameters: startprob is empty');
  const d = p.means?.[0]?.length ?? 0;
  if (nFeatures !== undefined && d !== nFeatures) {
    throw new Error(`HMM parameters: means have ${d} features but the data has ${nFeatures}`);
  }
  const near1 = (s: number) => Math.abs(s - 1) < 1e-6;
  if (!near1(p.startprob.reduce((a, b) => a + b, 0))) throw new Error('HMM parameters: startprob does not sum to 1');
  if (p.transmat.length !== k || p.means.length !== k || p.covars.length !== k) {
    throw new Error(`HMM parameters: expected ${k} states in transmat, means and covars`);
  }
  p.transmat.forEach((row, i) => {
    if (row.length !== k || !near1(row.reduce((a, b) => a + b, 0))) {
      throw new Error(`HMM parameters: transmat row ${i} must have ${k} entries summing to 1`);
    }
  });
  p.covars.forEach((c, i) => {
    if (c.length !== d || c.some((r) => r.length !== d))
      throw new Error(`HMM parameters: covars[${i}] must be ${d}×${d}`);
  });
  const all = [...p.startprob, ...p.transmat.flat(), ...p.means.flat(), ...p.covars.flat(2)];
  if (all.some((x) => !Number.isFinite(x))) throw new Error('HMM parameters: contain NaN or Infinity');
  if (all.slice(0, k + k * k).some((x) => x < 0)) throw new Error('HMM parameters: negative probability');
}
