import { sampleGaussianHMM } from '../../src/analysis/index.ts';
import { createRng } from '../../src/numeric/index.ts';
import { DEFAULT_FEATURES, type RunBundle } from '../../src/io/index.ts';
import { knownHmm } from './knownHmm.ts';

/**
 * A small bundle of `runs` runs over the 14 metric columns: each run sits in state 0, then switches for
 * good to state 1 somewhere between 20% and 60% of its length (two tight Gaussians, enough held-out
 * evidence for BIC to prefer K=2). Eval accuracy jumps in state 1. Deterministic in `seed`.
 */
export function smallBundle(runs = 15, length = 120, seed = 1): RunBundle {
  const truth = knownHmm(2, DEFAULT_FEATURES.length, seed, 3, 0.15);
  truth.transmat = [
    [1, 0],
    [0, 1],
  ];
  const rng = createRng(seed, 'small-bundle');
  const stay = (state: number, n: number) =>
    sampleGaussianHMM({ ...truth, startprob: state === 0 ? [1, 0] : [0, 1] }, [n], rng).sequences[0];
  return {
    format: 'trainmap.runs/1',
    groups: [
      {
        name: 'small',
        config: {},
        runs: Array.from({ length: runs }, (_, r) => {
          const at = Math.round(length * (0.2 + 0.4 * rng.next()));
          const seq = [...stay(0, at), ...stay(1, length - at)];
          const cp: Record<string, number[]> = { step: seq.map((_, t) => 10 * t) };
          DEFAULT_FEATURES.forEach((f, j) => (cp[f] = seq.map((x) => x[j])));
          cp.eval_acc = seq.map((_, t) => (t >= at ? 0.95 : 0.1 + t * 0.001));
          return { id: `seed-${r}`, seed: r, checkpoints: cp as RunBundle['groups'][0]['runs'][0]['checkpoints'] };
        }),
      },
    ],
  };
}
