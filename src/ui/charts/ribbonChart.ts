/** One ribbon per run: its Viterbi path over checkpoints, a cell per checkpoint coloured by state. */
import type { AnalysisReport, RunSummary } from '../../analysis/index.ts';
import { colorOfState } from './palette.ts';

export type RibbonOrder = 'run' | 'convergence';

/** Included runs in display order: as listed, or by convergence (fastest first; runs that never converged last). */
export function ribbonRuns(report: AnalysisReport, order: RibbonOrder): RunSummary[] {
  const runs = report.runs.filter((r) => r.included && r.path);
  if (order === 'run') return runs;
  const key = (r: RunSummary) => (r.convergence?.converged ? r.convergence.checkpoint : Number.POSITIVE_INFINITY);
  return [...runs].sort((a, b) => key(a) - key(b) || a.key.localeCompare(b.key));
}

/** A path as stretches in one state: [first checkpoint, last checkpoint + 1, state]. */
export function stretches(path: readonly number[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let t = 0; t < path.length; t++) {
    const last = out[out.length - 1];
    if (last && last[2] === path[t]) last[1] = t + 1;
    else out.push([t, t + 1, path[t]]);
  }
  return out;
}

/**
 * The ribbons as one rectangle per stretch of a run in one state (a few per run), not a cell per checkpoint:
 * 40 runs × 300 checkpoints draw as ~250 shapes, so redraws stay cheap on the page's thread.
 */
export function ribbonChartOption(
  report: AnalysisReport,
  order: RibbonOrder,
  selectedRun: string | null = null,
): Record<string, unknown> {
  const runs = ribbonRuns(report, order);
  const longest = Math.max(1, ...runs.map((r) => r.path!.length));
  // Rows top to bottom in display order: ECharts puts category 0 at the bottom, so reverse.
  const rows = [...runs].reverse();
  const data: [number, number, number, number][] = [];
  rows.forEach((r, y) => stretches(r.path!).forEach(([from, to, s]) => data.push([from, to, y, s])));
  const converged = rows.flatMap((r, y) =>
    r.convergence?.converged ? [[r.convergence.checkpoint + 0.5, y] as [number, number]] : [],
  );
  // Where each run still training is forecast to converge (a hollow diamond past its end, and a dotted line to it).
  const forecast = report.forecast && !('skipped' in report.forecast) ? report.forecast.runs : [];
  const ahead = rows.flatMap((r, y) => {
    const f = forecast.find((x) => x.key === r.key);
    return f?.checkpoint != null ? [{ y, from: r.path!.length, at: f.checkpoint + 0.5, sd: f.sd ?? 0 }] : [];
  });
  const xMax = Math.max(longest, ...ahead.map((a) => Math.ceil(a.at)));
  return {
    animation: false,
    grid: { left: 80, right: 16, top: 8, bottom: 36 },
    xAxis: {
      type: 'value',
      min: 0,
      max: xMax,
      name: 'checkpoint',
      nameLocation: 'middle',
      nameGap: 22,
      splitLine: { show: false },
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.key),
      axisLabel: { fontSize: 9, fontWeight: (v: string) => (v === selectedRun ? 'bold' : 'normal') },
      axisTick: { show: false },
    },
    tooltip: { trigger: 'item', confine: true },
    series: [
      {
        type: 'custom',
        data,
        encode: { x: [0, 1], y: 2 },
        renderItem: (_params: unknown, api: RibbonApi) => {
          const start = api.coord([api.value(0), api.value(2)]);
          const end = api.coord([api.value(1), api.value(2)]);
          const height = api.size([0, 1])[1] * 0.92;
          const row = rows[api.value(2)];
          return {
            type: 'rect',
            shape: { x: start[0], y: start[1] - height / 2, width: Math.max(1, end[0] - start[0]), height },
            style: {
              fill: colorOfState(report, api.value(3)),
              opacity: selectedRun && row?.key !== selectedRun ? 0.45 : 1,
            },
          };
        },
      },
      // Where each run converged.
      {
        type: 'scatter',
        data: converged,
        symbol: 'diamond',
        symbolSize: 7,
        itemStyle: { color: '#111', borderColor: '#fff', borderWidth: 1 },
        tooltip: { show: false },
        z: 3,
      },
      {
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        data: ahead.map((a) => ({
          coords: [
            [a.from, a.y],
            [a.at, a.y],
          ],
        })),
        lineStyle: { color: '#555', type: 'dotted', width: 1 },
        silent: true,
        z: 2,
      },
      {
        type: 'scatter',
        name: 'forecast',
        data: ahead.map((a) => [a.at, a.y, a.sd]),
        symbol: 'emptyDiamond',
        symbolSize: 8,
        itemStyle: { color: '#111' },
        tooltip: {
          formatter: (p: { value: number[] }) =>
            `forecast: converges near checkpoint ${p.value[0].toFixed(0)} (± ${p.value[2].toFixed(0)})`,
        },
        z: 3,
      },
    ],
  };
}

interface RibbonApi {
  value(dim: number): number;
  coord(point: [number, number]): [number, number];
  size(delta: [number, number]): [number, number];
}
