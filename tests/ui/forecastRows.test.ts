import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRuns, type AnalysisReport } from '../../src/analysis/index.ts';
import { parseRunsCsv } from '../../src/io/index.ts';
import { ribbonChartOption } from '../../src/ui/charts/ribbonChart.ts';
import { forecastView } from '../../src/ui/forecastRows.ts';

const file = resolve(import.meta.dirname, '../../static/samples/sparse-parity-paper.csv');

function partialReport(n: number): AnalysisReport {
  const b = parseRunsCsv(readFileSync(file, 'utf8'), file);
  for (const run of b.groups[0].runs)
    for (const c of Object.keys(run.checkpoints)) run.checkpoints[c] = run.checkpoints[c].slice(0, n);
  return analyzeRuns(b, { states: 6, stabilityRestarts: 0 });
}

describe('the forecast panel and the ribbon marks', () => {
  it('list each run still training with its expected convergence, say how far to trust it, and mark it past the ribbon', () => {
    const report = partialReport(150);
    const f = report.forecast!;
    if ('skipped' in f) throw new Error(f.skipped);
    const view = forecastView(report);
    expect(view.rows.map((r) => r.key)).toEqual(f.runs.map((r) => r.key));
    expect(view.headline).toMatch(
      /^\d+ runs? not converged yet; forecast to reach the converged states? [\d, ]+\.( [^.]*already in a converged state[^.]*\.)? Tried on the converged runs, .* off by \d+\.\d checkpoints on average/,
    );
    for (const r of view.rows) expect(r.expected).toMatch(/^\d+ ± \d+$|^likely never$/);
    const option = ribbonChartOption(report, 'convergence') as {
      series: { name?: string; data: number[][] }[];
      xAxis: { max: number };
    };
    const marks = option.series.find((s) => s.name === 'forecast')!;
    expect(marks.data).toHaveLength(f.runs.filter((r) => r.checkpoint !== null).length);
    expect(option.xAxis.max).toBeGreaterThanOrEqual(Math.max(...marks.data.map((d) => d[0])));
  });

  it('says so when runs below the threshold already sit in a converged state (the forecast is then "now")', () => {
    const report = partialReport(150);
    const f = report.forecast!;
    if ('skipped' in f || f.runs.length < 2) throw new Error('expected at least two runs still training');
    const none = { ...report, forecast: { ...f, runs: f.runs.map((r) => ({ ...r, now: 0.2 })) } };
    expect(forecastView(none).headline).not.toMatch(/already in a converged state/);
    const some = { ...report, forecast: { ...f, runs: f.runs.map((r, i) => ({ ...r, now: i === 0 ? 0.9 : 0 })) } };
    expect(forecastView(some).headline).toMatch(
      / 1 of them are already in a converged state while still below the accuracy threshold: .* apart from converged runs/,
    );
    const all = { ...report, forecast: { ...f, runs: f.runs.map((r) => ({ ...r, now: 1 })) } };
    expect(forecastView(all).headline).toMatch(/ All of them are already in a converged state/);
  });

  it('says why there is none', () => {
    const report = partialReport(60);
    expect(forecastView(report).headline).toBe(
      'No forecast: no run has converged yet, so there are no converged states to forecast the others into.',
    );
    expect(forecastView({ ...report, forecast: undefined }).headline).toMatch(/made before forecasts existed/);
  });
});
