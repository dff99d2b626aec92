/** The forecast panel's words and rows, from a report (the panel only renders them). */
import type { AnalysisReport } from '../analysis/index.ts';

export interface ForecastRow {
  key: string;
  checkpoints: number;
  now: string;
  reach: string;
  expected: string;
  step: string;
}

export interface ForecastView {
  /** Why there is no forecast, or how far to trust it. */
  headline: string;
  rows: ForecastRow[];
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

export function forecastView(report: AnalysisReport): ForecastView {
  const f = report.forecast;
  if (!f) return { headline: 'This analysis has no forecast (it was made before forecasts existed).', rows: [] };
  if ('skipped' in f) return { headline: `No forecast: ${f.skipped}.`, rows: [] };
  const bt = f.backtest;
  const trust =
    bt.mae === null
      ? 'There is no converged run to measure it on yet.'
      : `Tried on the converged runs, cut at a quarter, half and three quarters of the way to their convergence, it was off by ${bt.mae.toFixed(1)} checkpoints on average (guessing the other runs' median: ${bt.naiveMae === null ? '—' : bt.naiveMae.toFixed(1)}; ${bt.forecasts} forecasts, from a fit that saw those runs whole).`;
  const lead = f.runs.length
    ? `${f.runs.length} run${f.runs.length === 1 ? '' : 's'} not converged yet; forecast to reach the converged state${f.convergedStates.length > 1 ? 's' : ''} ${f.convergedStates.join(', ')}.`
    : 'Every run has converged: nothing to forecast.';
  // A run can sit in a converged state without meeting the accuracy threshold: the metrics do not tell it from
  // the converged runs, so its forecast is "now", which the states cannot improve on.
  const already = f.runs.filter((r) => r.now >= 0.5).length;
  const caveat = already
    ? ` ${already === f.runs.length ? (already === 1 ? 'It is' : 'All of them are') : `${already} of them are`} already in a converged state while still below the accuracy threshold: the weight metrics do not tell ${already === 1 ? 'it' : 'them'} apart from converged runs, so the forecast cannot say more than "now".`
    : '';
  return {
    headline: `${lead}${caveat} ${trust}`,
    rows: f.runs.map((r) => ({
      key: r.key,
      checkpoints: r.checkpoints,
      now: pct(r.now),
      reach: pct(r.reach),
      expected: r.checkpoint === null ? 'likely never' : `${r.checkpoint.toFixed(0)} ± ${(r.sd ?? 0).toFixed(0)}`,
      step: r.step === null ? '—' : String(r.step),
    })),
  };
}
