/**
 * Writes the import fixtures: the same small synthetic runs (sampled from a known 3-state HMM, so not a
 * training result) once as the authors' per-run CSV files and once as TensorBoard scalar exports, each
 * next to the same data in our long CSV format, which the tests read as the expected import.
 *
 *   tests/fixtures/authors-format/seed{0..5}.csv   pandas to_csv of their get_stats_for_run columns
 *   tests/fixtures/authors-format.csv              the same runs, long format
 *   tests/fixtures/tensorboard-format/run-seed{r}-tag-{tag}.csv, and tensorboard-format.csv likewise
 *   tests/fixtures/polypythias-format.tsv, and polypythias-format.csv: the layout PolyPythias' extract_metrics.py
 *     writes (EleutherAI/pythia, polypythias/training-maps/extract_metrics.py at 6fc22995fe4d1c9f17a6961fd31951c4c7efe3ca:
 *     `df[["seed", "step"] + metrics].to_csv(sep="\t", index=False)`, sorted by seed and step), with their names
 *   tests/fixtures/wandb-format/*.csv, and wandb-format.csv: W&B chart exports, one chart per metric as W&B exports
 *     them (src/io/wandbCsv.ts describes the shape), one with a run that skipped a step
 *   (TensorBoard event files are written by an independent Python writer: scripts/make_tfevents_fixtures.py)
 *
 *   npx tsx scripts/make-import-fixtures.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleGaussianHMM } from '../src/analysis/index.ts';
import { createRng } from '../src/numeric/index.ts';

const root = join(import.meta.dirname, '../tests/fixtures');
const rng = createRng(7, 'import-fixtures');

// Our 14 metrics in the order the authors' get_stats_for_run writes their counterparts.
const METRICS: [ours: string, theirs: string][] = [
  ['l1', 'l1'],
  ['l2', 'l2'],
  ['trace', 'trace'],
  ['spectral', 'spectral'],
  ['l1_over_l2', 'code_sparsity'],
  ['trace_over_spectral', 'computational_sparsity'],
  ['sv_mean', 'mean_lambda'],
  ['sv_var', 'variance_lambda'],
  ['weight_mean', 'mean_w'],
  ['weight_median', 'median_w'],
  ['weight_var', 'var_w'],
  ['bias_mean', 'mean_b'],
  ['bias_median', 'median_b'],
  ['bias_var', 'var_b'],
];
const d = METRICS.length;
const means = [0, 1, 2].map((s) => Array.from({ length: d }, (_, j) => 3 * s * (j % 2 ? 1 : -1) + rng.normal()));
const covars = means.map(() =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 0.3 : 0.05))),
);
const params = {
  startprob: [1, 0, 0],
  transmat: [
    [0.92, 0.08, 0],
    [0, 0.92, 0.08],
    [0, 0, 1],
  ],
  means,
  covars,
};
const runs = 6;
const length = 50;
const { sequences, states } = sampleGaussianHMM(params, new Array(runs).fill(length), rng);
// Raw scales like real metrics, rounded to 7 significant digits as a CSV would carry them.
const round = (x: number) => Number(x.toPrecision(7));
const scale = METRICS.map((_, j) => 10 ** ((j % 4) - 2));
const data = sequences.map((seq, r) => ({
  id: `seed${r}`,
  rows: seq.map((x, t) => ({
    epoch: t,
    metrics: x.map((v, j) => round(scale[j] * (10 + v))),
    trainLoss: round(1 / (1 + t) + 0.01 * rng.next()),
    evalLoss: round(1.2 / (1 + t) + 0.01 * rng.next()),
    trainAcc: round(states[r][t] === 2 ? 1 : 0.6 + 0.1 * rng.next()),
    evalAcc: round(states[r][t] === 2 ? 0.95 + 0.04 * rng.next() : 0.5 + 0.2 * rng.next()),
  })),
}));

function write(path: string, lines: string[]): void {
  writeFileSync(path, lines.join('\n') + '\n');
}

// The authors' files: pandas index first, rows in the order their glob happened to list the stats files.
const authors = join(root, 'authors-format');
rmSync(authors, { recursive: true, force: true });
mkdirSync(authors, { recursive: true });
for (const run of data) {
  const order = run.rows.map((_, t) => t);
  rng.shuffle(order);
  const header = [
    '',
    ...METRICS.map((m) => m[1]),
    'step',
    'train_loss',
    'eval_loss',
    'train_accuracy',
    'eval_accuracy',
  ];
  const lines = [header.join(',')];
  order.forEach((t, i) => {
    const r = run.rows[t];
    lines.push([i, ...r.metrics, r.epoch, r.trainLoss, r.evalLoss, r.trainAcc, r.evalAcc].join(','));
  });
  write(join(authors, `${run.id}.csv`), lines);
}
const longHeader = ['run', 'step', ...METRICS.map((m) => m[0]), 'train_loss', 'eval_loss', 'train_acc', 'eval_acc'];
write(join(root, 'authors-format.csv'), [
  longHeader.join(','),
  ...data.flatMap((run) =>
    run.rows.map((r) => [run.id, r.epoch, ...r.metrics, r.trainLoss, r.evalLoss, r.trainAcc, r.evalAcc].join(',')),
  ),
]);

// TensorBoard exports of five runs and five tags, logged every 100 steps; one tag of one run has an extra
// step the other tags lack (left out on import, and not in the long file).
const tb = join(root, 'tensorboard-format');
rmSync(tb, { recursive: true, force: true });
mkdirSync(tb, { recursive: true });
const TAGS: [tag: string, column: string, value: (r: (typeof data)[0]['rows'][0]) => number][] = [
  ['l1', 'l1', (r) => r.metrics[0]],
  ['l2', 'l2', (r) => r.metrics[1]],
  ['trace', 'trace', (r) => r.metrics[2]],
  ['spectral', 'spectral', (r) => r.metrics[3]],
  ['eval_accuracy', 'eval_acc', (r) => r.evalAcc],
];
const tbRuns = data.slice(0, 5);
for (const run of tbRuns) {
  for (const [tag, , value] of TAGS) {
    const lines = ['Wall time,Step,Value'];
    run.rows.forEach((r, t) => lines.push(`${1700000000 + 37.25 * t},${100 * (t + 1)},${value(r)}`));
    if (run.id === 'seed1' && tag === 'l1') lines.push(`${1700000000 + 37.25 * length},${100 * (length + 1)},1.5`);
    write(join(tb, `run-${run.id}-tag-${tag}.csv`), lines);
  }
}
write(join(root, 'tensorboard-format.csv'), [
  ['run', 'step', ...TAGS.map((t) => t[1])].join(','),
  ...tbRuns.flatMap((run) => run.rows.map((r, t) => [run.id, 100 * (t + 1), ...TAGS.map((tg) => tg[2](r))].join(','))),
]);
// PolyPythias' extract_metrics.py layout: tab-separated, seed and step first, their 14 names in their order.
const POLY: [theirs: string, ours: string][] = [
  ['L1', 'l1'],
  ['L2', 'l2'],
  ['L1/L2', 'l1_over_l2'],
  ['mu_w', 'weight_mean'],
  ['median_w', 'weight_median'],
  ['sigma_w', 'weight_var'],
  ['mu_b', 'bias_mean'],
  ['median_b', 'bias_median'],
  ['sigma_b', 'bias_var'],
  ['trace', 'trace'],
  ['lambda_max', 'spectral'],
  ['trace/lambda', 'trace_over_spectral'],
  ['mu_lambda', 'sv_mean'],
  ['sigma_lambda', 'sv_var'],
];
const metricOf = (r: (typeof data)[0]['rows'][0], ours: string) => r.metrics[METRICS.findIndex((m) => m[0] === ours)];
const seedOf = (id: string) => Number(id.replace('seed', ''));
write(join(root, 'polypythias-format.tsv'), [
  ['seed', 'step', ...POLY.map((p) => p[0])].join('\t'),
  ...data.flatMap((run) =>
    run.rows.map((r) => [seedOf(run.id), 1000 * r.epoch, ...POLY.map((p) => metricOf(r, p[1]))].join('\t')),
  ),
]);
write(join(root, 'polypythias-format.csv'), [
  ['run', 'step', ...POLY.map((p) => p[1])].join(','),
  ...data.flatMap((run) =>
    run.rows.map((r) => [seedOf(run.id), 1000 * r.epoch, ...POLY.map((p) => metricOf(r, p[1]))].join(',')),
  ),
]);

// W&B chart exports of four runs: one chart per metric, runs named like W&B's generated names, steps every 10.
// In the eval_accuracy chart, run "brisk-haze-2" has no point at its 5th step: that step is no checkpoint of it.
const wb = join(root, 'wandb-format');
rmSync(wb, { recursive: true, force: true });
mkdirSync(wb, { recursive: true });
const wbRuns = data
  .slice(0, 4)
  .map((run, i) => ({ ...run, name: ['calm-sun-1', 'brisk-haze-2', 'wild-pond-3', 'dry-leaf-4'][i] }));
const CHARTS: [metric: string, column: string, value: (r: (typeof data)[0]['rows'][0]) => number][] = [
  ['l1', 'l1', (r) => r.metrics[0]],
  ['l2', 'l2', (r) => r.metrics[1]],
  ['trace', 'trace', (r) => r.metrics[2]],
  ['spectral', 'spectral', (r) => r.metrics[3]],
  ['eval_accuracy', 'eval_acc', (r) => r.evalAcc],
];
const quotedCsv = (cells: (string | number)[]) => cells.map((c) => `"${c}"`).join(',');
const gap = (run: (typeof wbRuns)[0], metric: string, t: number) =>
  run.name === 'brisk-haze-2' && metric === 'eval_accuracy' && t === 4;
for (const [metric, , value] of CHARTS) {
  const header = [
    'Step',
    ...wbRuns.flatMap((r) => [`${r.name} - ${metric}`, `${r.name} - ${metric}__MIN`, `${r.name} - ${metric}__MAX`]),
  ];
  const lines = [quotedCsv(header)];
  for (let t = 0; t < length; t++)
    lines.push(
      quotedCsv([
        10 * t,
        ...wbRuns.flatMap((r): (string | number)[] =>
          gap(r, metric, t) ? ['', '', ''] : [value(r.rows[t]), value(r.rows[t]), value(r.rows[t])],
        ),
      ]),
    );
  write(
    join(wb, `wandb_export_2026-01-0${CHARTS.findIndex((c) => c[0] === metric) + 1}T10_00_00.000+00_00.csv`),
    lines,
  );
}
write(join(root, 'wandb-format.csv'), [
  ['run', 'step', ...CHARTS.map((c) => c[1])].join(','),
  ...wbRuns.flatMap((run) =>
    run.rows.flatMap((r, t) =>
      gap(run, 'eval_accuracy', t) ? [] : [[run.name, 10 * t, ...CHARTS.map((c) => c[2](r))].join(',')],
    ),
  ),
]);
console.log(
  `wrote ${runs} authors' files, ${tbRuns.length * TAGS.length} TensorBoard exports, a PolyPythias table, ${CHARTS.length} W&B exports and their long-format twins under ${root}`,
);
