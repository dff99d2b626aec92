/**
 * `npm run bench -- sv-every`: what computing the singular-value metrics (spectral, trace_over_spectral,
 * sv_mean, sv_var) at every k-th checkpoint only does to the training map, and what it saves.
 *
 * (1) The map: the bundled sparse-parity runs (40 seeds × 300 checkpoints each sample) with
 * carrySingularValues(run, k) applied to every run, which is exactly what training with `--sv-every k`
 * records (tests/train/svEvery.test.ts), analyzed with the defaults (threshold 0.9). Per k: the chosen K,
 * the map's shape and its support, detour states, the regression's R², and the share of checkpoints whose
 * Viterbi state agrees with the k = 1 analysis after matching the states one to one (Hungarian on the
 * K×K' co-occurrence counts; states left unmatched when K ≠ K' count as disagreeing).
 * (2) The metric time per checkpoint on the CPU path (wasm backend, the default in Node), 40 seeds of the
 * paper models at their seeded init, with and without the SVDs; at k the mean is no-SVD + (SVD part) / k.
 * BENCH_SV_EVERY_KS (default 1,2,5,10,25) and BENCH_SV_EVERY_REPS (default 3) size it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { ANALYSIS_DEFAULTS, analyzeRuns, type AnalysisReport, type AnalyzeOptions } from '../src/analysis/index.ts';
import { parseRunsCsv, type RunBundle } from '../src/io/index.ts';
import { carrySingularValues, METRIC_NAMES, SINGULAR_VALUE_METRICS } from '../src/metrics/index.ts';
import { hungarian } from '../src/numeric/hungarian.ts';
import { selectBackend } from '../src/train/backend.ts';
import { BatchedTrainer } from '../src/train/batchedTrainer.ts';
import { SeedMetrics } from '../src/train/gpuMetrics.ts';
import { createTaskModel, trainingConfig } from '../tasks/index.ts';
import { machine, median, type BenchResult } from './harness.ts';

const SAMPLES = ['sparse-parity-paper.csv', 'sparse-parity-seeds40-79.csv'];

function carried(bundle: RunBundle, k: number): RunBundle {
  return {
    ...bundle,
    groups: bundle.groups.map((g) => ({
      ...g,
      runs: g.runs.map((r) => ({ ...r, checkpoints: carrySingularValues(r.checkpoints, k) })),
    })),
  };
}

/** Share of checkpoints whose state agrees with `base` once states are matched one to one (maximum total overlap). */
export function matchedAgreement(base: AnalysisReport, other: AnalysisReport): number {
  const ka = base.model.params.startprob.length;
  const kb = other.model.params.startprob.length;
  const counts = Array.from({ length: ka }, () => new Array<number>(kb).fill(0));
  const paths = new Map(other.runs.filter((r) => r.path).map((r) => [r.key, r.path!]));
  let total = 0;
  for (const r of base.runs) {
    const q = r.path && paths.get(r.key);
    if (!r.path || !q) continue;
    if (q.length !== r.path.length) throw new Error(`run ${r.key}: ${r.path.length} vs ${q.length} checkpoints`);
    for (let t = 0; t < q.length; t++) counts[r.path[t]][q[t]]++;
    total += q.length;
  }
  // hungarian wants rows ≤ columns; maximize overlap = minimize its negative.
  const rows = ka <= kb ? counts : counts[0].map((_, j) => counts.map((row) => row[j]));
  const assignment = hungarian(rows.map((row) => row.map((c) => -c)));
  const matched = assignment.reduce((sum, j, i) => sum + rows[i][j], 0);
  return matched / total;
}

async function metricTimes(reps: number): Promise<{ rows: BenchResult['rows']; notes: string[] }> {
  const S = 40;
  const seeds = Array.from({ length: S }, (_, i) => i);
  const choice = await selectBackend({ requested: 'wasm' });
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  for (const task of ['sparse-parity', 'modular-addition'] as const) {
    const trainer = new BatchedTrainer(await createTaskModel(trainingConfig(task, 'paper')), seeds);
    const m = new SeedMetrics(trainer.task.params, S);
    const time = async (singularValues: boolean) => {
      await m.compute(trainer.params, { singularValues });
      const times: number[] = [];
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        const r = await m.compute(trainer.params, { singularValues });
        times.push(performance.now() - t0);
        if (r.path !== 'cpu') throw new Error(`expected the CPU path, got ${r.path}`);
      }
      return median(times);
    };
    const full = await time(true);
    const none = await time(false);
    console.log(`sv-every bench: ${task} metrics ${full.toFixed(1)} ms with SVDs, ${none.toFixed(1)} ms without`);
    notes.push(
      `${task} (${S} seeds, ${choice.name}): metrics ${full.toFixed(1)} ms per checkpoint with the SVDs, ${none.toFixed(1)} ms without (median of ${reps}); the SVDs are ${(100 * (1 - none / full)).toFixed(0)} % of it`,
    );
    for (const k of [1, 2, 5, 10, 25]) {
      rows.push({
        part: 'metric time',
        sample: `${task} paper, ${S} seeds`,
        k,
        'ms per checkpoint': Number((none + (full - none) / k).toFixed(1)),
        'vs k=1': Number(((none + (full - none) / k) / full).toFixed(3)),
      });
    }
    trainer.dispose();
  }
  return { rows, notes };
}

export async function svEveryBench(): Promise<BenchResult> {
  const ks = (process.env.BENCH_SV_EVERY_KS ?? '1,2,5,10,25').split(',').map(Number);
  if (ks[0] !== 1) throw new Error('BENCH_SV_EVERY_KS must start with 1 (the reference)');
  const reps = Number(process.env.BENCH_SV_EVERY_REPS ?? 3);
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}`,
  ];
  for (const name of SAMPLES) {
    const file = resolve(import.meta.dirname, '../static/samples', name);
    if (!existsSync(file)) {
      notes.push(`${name}: not found, left out`);
      continue;
    }
    const whole = parseRunsCsv(readFileSync(file, 'utf8'), file);
    let base: AnalysisReport | null = null;
    // Two controls after the k's: the k = 1 runs under another analysis seed (how much the map moves by itself),
    // and the four singular-value features left out altogether (k = ∞, as it were).
    const variants: [string | number, RunBundle, AnalyzeOptions][] = [
      ...ks.map((k): [number, RunBundle, AnalyzeOptions] => [k, carried(whole, k), {}]),
      ['1, analysis seed +1 (control)', whole, { seed: ANALYSIS_DEFAULTS.seed + 1 }],
      [
        '∞: the four left out of the features',
        whole,
        { features: METRIC_NAMES.filter((m) => !(SINGULAR_VALUE_METRICS as readonly string[]).includes(m)) },
      ],
    ];
    for (const [k, bundle, options] of variants) {
      const t0 = performance.now();
      const report = analyzeRuns(bundle, { threshold: 0.9, ...options });
      const seconds = (performance.now() - t0) / 1000;
      base ??= report;
      const stability = 'skipped' in report.stability ? null : report.stability;
      const regression = 'skipped' in report.regression ? null : report.regression;
      const row = {
        part: 'map',
        sample: name.replace(/\.csv$/, ''),
        k,
        K: report.selection.chosenK,
        shape: report.map.shape,
        'shape support': stability ? Number(stability.verdict.support.toFixed(2)) : null,
        detours: report.detours.length,
        'R²': regression ? Number(regression.rSquared.toFixed(3)) : null,
        'agreement with k=1': Number(matchedAgreement(base, report).toFixed(3)),
        'analysis s': Number(seconds.toFixed(1)),
      };
      console.log(
        `sv-every bench: ${row.sample} k=${k}: K=${row.K} ${row.shape}, ${row.detours} detours, R² ${row['R²']}, agreement ${row['agreement with k=1']}`,
      );
      rows.push(row);
    }
  }
  const timing = await metricTimes(reps);
  rows.push(...timing.rows);
  notes.push(
    'map rows: carrySingularValues(run, k) on every run is what `trainmap run --sv-every k` records (proved row for row in tests/train/svEvery.test.ts); analysis with the defaults, threshold 0.9',
    'controls: "1, analysis seed +1" is the k=1 bundle analyzed with another seed (how far the map moves with no change to the data); "∞" leaves spectral, trace_over_spectral, sv_mean and sv_var out of the features',
    'agreement with k=1: share of all checkpoints whose Viterbi state equals the k=1 state after a one-to-one matching of states maximizing the overlap (Hungarian); unmatched states when K differs count as disagreeing',
    ...timing.notes,
    'metric time rows: at k the mean per checkpoint is (no-SVD time) + (SVD time)/k, from the two medians above; weights at their seeded init (the SVD cost does not depend on the values)',
  );
  return { benchmark: 'sv-every', date: new Date().toISOString(), machine: machine(), rows, notes };
}
