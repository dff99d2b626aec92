/**
 * Writes static/samples/synthetic-forking.csv: 30 synthetic "training runs" sampled from a known 4-state
 * Gaussian HMM over the 14 metric columns, with an eval accuracy that rises in the last state.
 * State 0 (init) forks into 1 (fast) or 2 (a detour that lingers), both lead to 3 (generalized).
 * Synthetic on purpose: it is the instant demo and CLI smoke test, not a result.
 *
 *   npx tsx scripts/make-synthetic-sample.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { sampleGaussianHMM, type HMMParams } from '../src/analysis/index.ts';
import { createRng } from '../src/numeric/index.ts';
import { DEFAULT_FEATURES, formatRunsCsv, type RunBundle } from '../src/io/index.ts';

const d = DEFAULT_FEATURES.length;
const rng = createRng(2023, 'synthetic-sample');
// State means in standard units: init, fast memorization, detour, generalized.
const z = [
  Array.from({ length: d }, () => 0),
  Array.from({ length: d }, (_, j) => (j % 3 === 0 ? -1.5 : 0.8)),
  Array.from({ length: d }, (_, j) => (j % 2 === 0 ? 1.6 : -1.0)),
  Array.from({ length: d }, (_, j) => (j % 3 === 0 ? -2.5 : 1.8)),
];
const covars = z.map(() => {
  const a = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal() * 0.06));
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => a[i].reduce((s, v, m) => s + v * a[j][m], 0) + (i === j ? 0.04 : 0)),
  );
});
const params: HMMParams = {
  startprob: [1, 0, 0, 0],
  transmat: [
    [0.94, 0.035, 0.025, 0],
    [0, 0.96, 0, 0.04],
    [0, 0.006, 0.984, 0.01],
    [0, 0, 0, 1],
  ],
  means: z,
  covars,
};
const runs = 30;
const length = 200;
const { sequences, states } = sampleGaussianHMM(params, new Array(runs).fill(length), rng);
// Raw metric scales, so the per-run z-scoring of the analysis has something to do.
const base = DEFAULT_FEATURES.map((_, j) => 10 ** ((j % 5) - 2) * (1 + j));
const spread = base.map((b) => b * 0.1);
const bundle: RunBundle = {
  format: 'trainmap.runs/1',
  groups: [
    {
      name: 'synthetic-forking',
      config: { synthetic: true, generator: 'scripts/make-synthetic-sample.ts', states: 4 },
      runs: sequences.map((seq, r) => {
        const cp: Record<string, number[]> = { step: seq.map((_, t) => t * 10), epoch: seq.map((_, t) => t) };
        DEFAULT_FEATURES.forEach((f, j) => (cp[f] = seq.map((x) => round(base[j] + spread[j] * x[j]))));
        cp.eval_acc = states[r].map((s) =>
          round(Math.min(1, Math.max(0, s === 3 ? 0.97 + 0.02 * rng.normal() : 0.05 + 0.03 * s + 0.02 * rng.normal()))),
        );
        cp.train_acc = states[r].map((s) =>
          round(s === 0 ? 0.3 + 0.05 * rng.normal() : Math.min(1, 0.99 + 0.005 * Math.abs(rng.normal()))),
        );
        return { id: `seed-${r}`, seed: r, checkpoints: cp as RunBundle['groups'][0]['runs'][0]['checkpoints'] };
      }),
    },
  ],
};

function round(v: number): number {
  return Number(v.toPrecision(8));
}

mkdirSync('static/samples', { recursive: true });
writeFileSync('static/samples/synthetic-forking.csv', formatRunsCsv(bundle));
const visits = [0, 1, 2, 3].map((k) => states.filter((s) => s.includes(k)).length);
console.log(
  `wrote static/samples/synthetic-forking.csv: ${runs} runs × ${length} checkpoints; runs visiting states 0..3: ${visits.join(', ')}`,
);
