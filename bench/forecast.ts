/**
 * The convergence forecast on the bundled sparse-parity runs (40 seeds × 300 epochs, converged = eval_acc > 0.9):
 * (1) the sample cut at 25 %, 50 % and 75 % of its training and analyzed as a partial bundle, each run still
 * training forecast and compared with when it really converged; (2) the backtest every analysis reports, on
 * the whole sample (converged runs cut at 25/50/75 % of their own convergence time). Both next to a naive
 * forecast: the median convergence time of the runs converged so far (at least the next checkpoint).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeRuns } from '../src/analysis/index.ts';
import { convergenceTimes } from '../src/analysis/convergence.ts';
import type { ConvergenceForecast } from '../src/analysis/forecast.ts';
import { parseRunsCsv, type RunBundle } from '../src/io/index.ts';
import { machine, median, type BenchResult } from './harness.ts';

function firstCheckpoints(bundle: RunBundle, n: number): RunBundle {
  const b = structuredClone(bundle);
  for (const run of b.groups.flatMap((g) => g.runs))
    for (const c of Object.keys(run.checkpoints)) run.checkpoints[c] = run.checkpoints[c].slice(0, n);
  return b;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const round = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(1)));

export async function forecastBench(): Promise<BenchResult> {
  const file = resolve(import.meta.dirname, '../static/samples/sparse-parity-paper.csv');
  const whole = parseRunsCsv(readFileSync(file, 'utf8'), file);
  const runs = whole.groups[0].runs;
  const length = runs[0].checkpoints.step.length;
  const truth = new Map(runs.map((r) => [r.id, convergenceTimes([r.checkpoints.eval_acc], 0.9)[0]]));
  const rows: BenchResult['rows'] = [];
  for (const fraction of [0.25, 0.5, 0.75]) {
    const n = Math.round(fraction * length);
    const t0 = performance.now();
    const report = analyzeRuns(firstCheckpoints(whole, n), { threshold: 0.9 });
    const seconds = (performance.now() - t0) / 1000;
    const f = report.forecast!;
    const open = report.runs.filter((r) => r.included && !r.convergence?.converged);
    const base = {
      cut: `${fraction * 100}% (${n} checkpoints)`,
      K: report.model.params.startprob.length,
      'analysis s': Number(seconds.toFixed(1)),
    };
    if ('skipped' in f) {
      rows.push({
        ...base,
        'runs still training': open.length,
        forecasts: 0,
        'MAE (checkpoints)': null,
        'naive MAE': null,
        note: f.skipped,
      });
      continue;
    }
    const convergedSoFar = report.runs.filter((r) => r.convergence?.converged).map((r) => r.convergence!.checkpoint);
    const errors: number[] = [];
    const naive: number[] = [];
    let never = 0;
    let missed = 0;
    for (const r of f.runs) {
      const real = truth.get(report.runs.find((x) => x.key === r.key)!.id)!;
      if (!real.converged) {
        never++;
        continue;
      }
      if (r.checkpoint === null) {
        missed++;
        continue;
      }
      errors.push(Math.abs(r.checkpoint - real.checkpoint));
      naive.push(Math.abs(Math.max(n, median(convergedSoFar)) - real.checkpoint));
    }
    rows.push({
      ...base,
      'runs still training': open.length,
      forecasts: errors.length,
      'MAE (checkpoints)': round(mean(errors)),
      'naive MAE': round(mean(naive)),
      note: `${never} never converged in ${length}; ${missed} forecast as never converging but did`,
    });
  }
  const t0 = performance.now();
  const full = analyzeRuns(whole, { threshold: 0.9 });
  const seconds = (performance.now() - t0) / 1000;
  const f = full.forecast as ConvergenceForecast;
  for (const c of f.backtest.cuts)
    rows.push({
      cut: `backtest: each converged run at ${c.fraction * 100}% of its convergence`,
      K: full.model.params.startprob.length,
      'analysis s': Number(seconds.toFixed(1)),
      'runs still training': 0,
      forecasts: c.forecasts,
      'MAE (checkpoints)': round(c.mae),
      'naive MAE': round(c.naiveMae),
      note: `${c.withoutForecast} judged never to converge`,
    });
  return {
    benchmark: 'forecast',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      'Analyses with the default settings (model selection over K, stability restarts included); the backtest uses a fit that saw the runs whole.',
      'The forecast is the expected first-passage time of a Markov chain: its waits are geometric, so it cannot know how long a run has already sat in a state.',
    ],
  };
}
