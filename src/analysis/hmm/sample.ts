import { flatten2d } from '../../numeric/linalg.ts';
import type { Rng } from '../../numeric/rng.ts';
import { regularizedCholesky } from './gaussian.ts';
import { validateParams } from './params.ts';
import type { HMMParams } from './types.ts';

/** Draws sequences and their hidden states from a Gaussian HMM (for tests, benchmarks and sample bundles). */
export function sampleGaussianHMM(
  params: HMMParams,
  lengths: readonly number[],
  rng: Rng,
): { sequences: number[][][]; states: number[][] } {
  validateParams(params);
  const k = params.startprob.length;
  const d = params.means[0].length;
  const chol = params.covars.map((c) => {
    const l = new Float64Array(d * d);
    regularizedCholesky(flatten2d(c), d, l);
    return l;
  });
  const draw = (p: readonly number[]) => {
    let u = rng.next();
    for (let i = 0; i < k - 1; i++) {
      u -= p[i];
      if (u < 0) return i;
    }
    return k - 1;
  };
  const sequences: number[][][] = [];
  const states: number[][] = [];
  for (const len of lengths) {
    const seq: number[][] = [];
    const st: number[] = [];
    let s = draw(params.startprob);
    for (let t = 0; t < len; t++) {
      if (t > 0) s = draw(params.transmat[s]);
      const z = Array.from({ length: d }, () => rng.normal());
      const l = chol[s];
      seq.push(
        params.means[s].map((m, i) => {
          let v = m;
          for (let j = 0; j <= i; j++) v += l[i * d + j] * z[j];
          return v;
        }),
      );
      st.push(s);
    }
    sequences.push(seq);
    states.push(st);
  }
  return { sequences, states };
}
