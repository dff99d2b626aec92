import { EStepWorkspace, expectationStep } from './estep.ts';
import { factorGaussians, gaussianLogDensities } from './gaussian.ts';
import { packSequences } from './observations.ts';
import { toFlat, validateParams } from './params.ts';
import { viterbiPath } from './viterbi.ts';
import { ForwardBackwardWorkspace, forwardBackward } from './forwardBackward.ts';
import type { FlatParams, HMMParams, ObservationSet } from './types.ts';

/** Log-likelihood of each packed sequence under flat parameters. */
export function scoreObservations(p: FlatParams, obs: ObservationSet): Float64Array {
  return expectationStep(obs, p, new EStepWorkspace(obs, p.nStates), null);
}

function checked(params: HMMParams, sequences: number[][][]): { p: FlatParams; obs: ObservationSet } {
  const obs = packSequences(sequences);
  validateParams(params, obs.nFeatures);
  return { p: toFlat(params), obs };
}

/** Total log-likelihood of the sequences (hmmlearn's `score`). */
export function logLikelihood(params: HMMParams, sequences: number[][][]): number {
  return scorePerSequence(params, sequences).reduce((a, b) => a + b, 0);
}

export function scorePerSequence(params: HMMParams, sequences: number[][][]): number[] {
  const { p, obs } = checked(params, sequences);
  return Array.from(scoreObservations(p, obs));
}

/** Emission log-likelihoods (T×K) of each packed sequence, one array per sequence. */
export function emissionLogLikelihoods(p: FlatParams, obs: ObservationSet): Float64Array[] {
  const g = factorGaussians(p.nStates, p.nFeatures, p.means, p.covars);
  const out: Float64Array[] = [];
  for (let s = 0; s < obs.lengths.length; s++) {
    const logB = new Float64Array(obs.lengths[s] * p.nStates);
    gaussianLogDensities(g, obs.data, obs.offsets[s], obs.lengths[s], logB);
    out.push(logB);
  }
  return out;
}

/** Viterbi paths of every packed sequence. */
export function decodeObservations(p: FlatParams, obs: ObservationSet): Int32Array[] {
  return emissionLogLikelihoods(p, obs).map(
    (logB, s) => viterbiPath(logB, obs.lengths[s], p.startprob, p.transmat).path,
  );
}

/** Most likely state path of one sequence. */
export function viterbi(params: HMMParams, sequence: number[][]): { path: number[]; logProbability: number } {
  const { p, obs } = checked(params, [sequence]);
  const [logB] = emissionLogLikelihoods(p, obs);
  const r = viterbiPath(logB, sequence.length, p.startprob, p.transmat);
  return { path: Array.from(r.path), logProbability: r.logProbability };
}

/** Posterior state probabilities P(s_t = k | x_1:T) of one sequence, T×K. */
export function posteriors(params: HMMParams, sequence: number[][]): number[][] {
  const { p, obs } = checked(params, [sequence]);
  const [logB] = emissionLogLikelihoods(p, obs);
  const k = p.nStates;
  const gamma = new Float64Array(sequence.length * k);
  forwardBackward(
    logB,
    sequence.length,
    p.startprob,
    p.transmat,
    gamma,
    null,
    new ForwardBackwardWorkspace(sequence.length, k),
  );
  return Array.from({ length: sequence.length }, (_, t) => Array.from(gamma.subarray(t * k, (t + 1) * k)));
}
