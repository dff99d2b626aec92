/**
 * A large synthetic run bundle like the one on which the analysis once never finished: `runs` runs of
 * `checkpoints` checkpoints over the 14 metric columns, sampled from a sticky, forking K=8 Gaussian HMM
 * (bench/data.ts), with eval_acc rising once a run reaches the last states. Generated, never committed.
 */
import { sampleGaussianHMM } from '../src/analysis/index.ts';
import { DEFAULT_FEATURES, newCheckpoints, type RunBundle } from '../src/io/index.ts';
import { createRng } from '../src/numeric/index.ts';
import { benchHmm } from './data.ts';

export function largeBundle(runs = 100, checkpoints = 2600, seed = 8): RunBundle {
  const k = 8;
  const truth = benchHmm(k, DEFAULT_FEATURES.length, seed);
  // Slower than the benchmark HMM's 0.985 self-transitions, so 2600 checkpoints visit most states.
  truth.transmat = truth.transmat.map((row, i) => row.map((p, j) => (i === k - 1 ? p : j === i ? 0.997 : p / 5)));
  const { sequences, states } = sampleGaussianHMM(
    truth,
    new Array(runs).fill(checkpoints),
    createRng(seed, 'large-bundle'),
  );
  const rng = createRng(seed, 'large-bundle-acc');
  return {
    format: 'trainmap.runs/1',
    groups: [
      {
        name: `synthetic/K${k}-${runs}x${checkpoints}`,
        config: { generator: 'bench/largeBundle.ts', k, runs, checkpoints, seed },
        runs: sequences.map((seq, r) => {
          const cp = newCheckpoints();
          cp.step = seq.map((_, t) => 50 * t);
          DEFAULT_FEATURES.forEach((f, j) => (cp[f] = seq.map((x) => x[j])));
          cp.eval_acc = states[r].map((s) => Math.min(1, (s >= k - 2 ? 0.93 : 0.1 + 0.08 * s) + 0.02 * rng.normal()));
          return { id: `seed-${r}`, seed: r, checkpoints: cp };
        }),
      },
    ],
  };
}
