/** One ribbon per run: its Viterbi path over checkpoints, a cell per checkpoint coloured by state. */
import type { AnalysisReport, RunSummary } from '../../analysis/index.ts';
import { stateColor } from './palette.ts';

export type RibbonOrder = 'run' | 'convergence';

/** Included runs in display order: as listed, or by convergence (fastest first; runs that never converged last). */
export function ribbonRuns(report: AnalysisReport, order: RibbonOrder): RunSummary[] {
  const runs = report.runs.filter((r) => r.included && r.path);
  if (order === 'run') return runs;
  const key = (r: RunSummary) => (r.convergence?.converged ? r.convergence.checkpoint : Number.POSITIVE_INFINITY);
  return [...runs].sort((a, b) => key(a) - key(b) || a.key.localeCompare(b.key));
}

export function ribbonChartOption(report: AnalysisReport, order: RibbonOrder, selectedRun: string | null = null): Record<string, unknown> {
  const runs = ribbonRuns(report, order);
  const k = report.model.params.startprob.length;
  const longest = Math.max(1, ...runs.map((r) => r.path!.length));
  // Rows top to bottom in display order: ECharts puts category 0 at the bottom, so reverse.
  const rows = [...runs].reverse();
  const data: [number, number, number][] = [];
  rows.forEach((r, y) => r.path!.forEach((s, t) => data.push([t, y, s])));
  const converged = rows.flatMap((r, y) => (r.convergence?.converged ? [[r.convergence.checkpoint, y] as [number, number]] : []));
  return {
    animation: false,
    grid: { left: 80, right: 16, top: 8, bottom: 36 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: longest }, (_, t) => t),
      name: 'checkpoint',
      nameLocation: 'middle',
      nameGap: 22,
      axisTick: { show: false },
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.key),
      axisLabel: { fontSize: 9, fontWeight: (v: string) => (v === selectedRun ? 'bold' : 'normal') },
      axisTick: { show: false },
    },
    visualMap: {
      type: 'piecewise',
      show: false,
      dimension: 2,
      pieces: Array.from({ length: k }, (_, s) => ({ value: s, color: stateColor(s), label: `state ${s}` })),
    },
    tooltip: { trigger: 'item', confine: true },
    series: [
      { type: 'heatmap', data, progressive: 0, emphasis: { disabled: true } },
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
    ],
  };
}
