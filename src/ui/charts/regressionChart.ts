/** The regression panel's two charts: coefficients per state (detours marked) and the spread of convergence times. */
import type { AnalysisReport } from '../../analysis/index.ts';
import { compactNumber } from './axisFormat.ts';
import { colorOfState, DETOUR_COLOR } from './palette.ts';

/** Bars in their states' colours; a detour's bar has the map's dashed red outline. */
export function coefficientChartOption(report: AnalysisReport): Record<string, unknown> | null {
  if ('skipped' in report.regression) return null;
  const reg = report.regression;
  const detours = new Set(report.detours);
  const states = reg.states.filter((k) => Number.isFinite(reg.coefficients[k]));
  return {
    animation: false,
    grid: { left: 58, right: 12, top: 12, bottom: 40 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: states.map(String),
      name: 'state',
      nameLocation: 'middle',
      nameGap: 24,
      // Every state is named; on a crowded axis ECharts drops the labels that would touch rather than overlap them.
      axisLabel: { interval: 0, fontSize: states.length > 8 ? 10 : 11, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: 'checkpoints',
      nameLocation: 'middle',
      nameRotate: 90,
      nameGap: 42,
      scale: false,
      axisLabel: { formatter: compactNumber, fontSize: 11 },
    },
    series: [
      {
        type: 'bar',
        data: states.map((k) => ({
          value: reg.coefficients[k],
          itemStyle: {
            color: colorOfState(report, k),
            borderColor: detours.has(k) ? DETOUR_COLOR : undefined,
            borderWidth: detours.has(k) ? 2 : 0,
            borderType: detours.has(k) ? 'dashed' : 'solid',
          },
        })),
      },
    ],
  };
}

/** Converged runs' convergence checkpoints in bins; censored runs (not converged yet) counted apart. */
export function convergenceHistogram(
  report: AnalysisReport,
  bins = 12,
): { edges: number[]; counts: number[]; censored: number } {
  const runs = report.runs.filter((r) => r.included && r.convergence);
  const times = runs.filter((r) => r.convergence!.converged).map((r) => r.convergence!.checkpoint);
  const censored = runs.length - times.length;
  if (times.length === 0) return { edges: [], counts: [], censored };
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const width = Math.max(1, Math.ceil((hi - lo + 1) / bins));
  const n = Math.max(1, Math.ceil((hi - lo + 1) / width));
  const counts = new Array<number>(n).fill(0);
  for (const t of times) counts[Math.min(n - 1, Math.floor((t - lo) / width))]++;
  return { edges: Array.from({ length: n + 1 }, (_, i) => lo + i * width), counts, censored };
}

export function histogramChartOption(report: AnalysisReport): Record<string, unknown> | null {
  const h = convergenceHistogram(report);
  if (h.counts.length === 0) return null;
  return {
    animation: false,
    grid: { left: 44, right: 12, top: 12, bottom: 40 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: h.counts.map((_, i) => `${h.edges[i]}–${h.edges[i + 1] - 1}`),
      name: 'convergence checkpoint',
      nameLocation: 'middle',
      nameGap: 24,
      axisLabel: { fontSize: 11, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      name: 'runs',
      nameLocation: 'middle',
      nameRotate: 90,
      nameGap: 28,
      axisLabel: { formatter: compactNumber, fontSize: 11 },
    },
    series: [{ type: 'bar', data: h.counts, itemStyle: { color: '#6b7b8c' } }],
  };
}
