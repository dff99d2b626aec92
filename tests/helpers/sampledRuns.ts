import { sampleGaussianHMM, type HMMParams } from '../../src/analysis/index.ts';
import { createRng } from '../../src/numeric/index.ts';
import type { RunBundle } from '../../src/io/index.ts';
import type { PreparedRuns } from '../../src/analysis/index.ts';
import { knownHmm } from './knownHmm.ts';

/**
 * Four well-separated states that every run enters at state 0 and leaves towards the absorbing state 3:
 * 'linear' goes 0 → 1 → 2 → 3; 'forking' goes 0 → 1 → 3 or 0 → 2 → 3 (half the runs each way).
 */
export function shapedHmm(shape: 'linear' | 'forking', d: number, seed: number): HMMParams {
  const base = knownHmm(4, d, seed, 4, 0.6);
  const transmat =
    shape === 'linear'
      ? [
          [0.95, 0.05, 0, 0],
          [0, 0.95, 0.05, 0],
          [0, 0, 0.95, 0.05],
          [0, 0, 0, 1],
        ]
      : [
          [0.9, 0.05, 0.05, 0],
          [0, 0.95, 0, 0.05],
          [0, 0, 0.95, 0.05],
          [0, 0, 0, 1],
        ];
  return { ...base, startprob: [1, 0, 0, 0], transmat };
}

/** A bundle of runs sampled from an HMM, its features named f0…, with eval accuracy jumping when the last state is reached. */
export function sampledBundle(params: HMMParams, runs: number, length: number, seed: number): RunBundle {
  const { sequences, states } = sampleGaussianHMM(
    params,
    new Array(runs).fill(length),
    createRng(seed, 'sampled-bundle'),
  );
  const last = params.startprob.length - 1;
  return {
    format: 'trainmap.runs/1',
    groups: [
      {
        name: 'sampled',
        config: {},
        runs: sequences.map((seq, r) => {
          const cp: Record<string, number[]> = { step: seq.map((_, t) => t) };
          seq[0].forEach((_, j) => (cp[`f${j}`] = seq.map((x) => x[j])));
          cp.eval_acc = states[r].map((s) => (s === last ? 0.99 : 0.2));
          return { id: `run-${r}`, seed: r, checkpoints: cp as RunBundle['groups'][0]['runs'][0]['checkpoints'] };
        }),
      },
    ],
  };
}

/**
 * Sampled runs as the pipeline sees them after normalization (no per-run z-scoring, which would shift a
 * state's values between runs that take different branches): every run included, eval accuracy high
 * once the last state is reached.
 */
export function sampledPrepared(params: HMMParams, runs: number, length: number, seed: number): PreparedRuns {
  const { sequences, states } = sampleGaussianHMM(
    params,
    new Array(runs).fill(length),
    createRng(seed, 'sampled-prepared'),
  );
  const last = params.startprob.length - 1;
  const d = params.means[0].length;
  return {
    features: Array.from({ length: d }, (_, j) => `f${j}`),
    droppedFeatures: [],
    runs: sequences.map((s, r) => ({
      key: `run-${r}`,
      group: 'sampled',
      id: `run-${r}`,
      seed: r,
      checkpoints: s.length,
      included: true,
    })),
    included: sequences.map((_, r) => r),
    z: sequences,
    normalization: { window: 1000, runs: [] },
    accuracy: states.map((st) => st.map((s) => (s === last ? 0.99 : 0.2))),
    steps: sequences.map((s) => s.map((_, t) => t)),
    warnings: [],
  };
}

/**
 * Runs with a built-in alternation artifact: a first phase, then a middle phase whose checkpoints swing
 * between two clusters ±delta apart in feature f0 at every checkpoint, then a last phase. A 4-state fit
 * can split the middle phase into two states that alternate (slightly likelier) or keep it whole (clean).
 */
export function alternatingPrepared(runs: number, length: number, delta: number, seed: number): PreparedRuns {
  const rng = createRng(seed, 'alternating-prepared');
  const z: number[][][] = [];
  const accuracy: number[][] = [];
  for (let r = 0; r < runs; r++) {
    const a = 30 + Math.floor(rng.next() * 20);
    const b = a + 30 + Math.floor(rng.next() * 20);
    const seq = Array.from({ length }, (_, t) => {
      const m = t < a ? [0, 0, 0] : t < b ? [4 + ((t - a) % 2 ? delta : -delta), 4, 0] : [8, 0, 4];
      return m.map((v) => v + 0.5 * rng.normal());
    });
    z.push(seq);
    accuracy.push(seq.map((_, t) => (t >= b ? 0.99 : 0.2)));
  }
  return {
    features: ['f0', 'f1', 'f2'],
    droppedFeatures: [],
    runs: z.map((s, r) => ({
      key: `run-${r}`,
      group: 'alternating',
      id: `run-${r}`,
      seed: r,
      checkpoints: s.length,
      included: true,
    })),
    included: z.map((_, r) => r),
    z,
    normalization: { window: 1000, runs: [] },
    accuracy,
    steps: z.map((s) => s.map((_, t) => t)),
    warnings: [],
  };
}
