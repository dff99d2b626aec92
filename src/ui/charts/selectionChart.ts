/** Model selection against K (the paper's Fig. 10): held-out log-likelihood, BIC and AIC, the chosen K marked. */
import type { AnalysisReport } from '../../analysis/index.ts';
import { compactNumber } from './axisFormat.ts';

/** The panel's headline: the chosen K and how it was chosen (a fixed `states` setting is no selection at all). */
export function selectionHeadline(report: AnalysisReport): string {
  const heldOut = report.runs.filter((r) => r.role === 'held-out').length;
  const data = `${heldOut} held-out run${heldOut === 1 ? '' : 's'}, ${report.selection.nHeldOutObservations} checkpoints`;
  if (typeof report.settings.states === 'number')
    return `K = ${report.selection.chosenK}, fixed by the states setting (no selection over K) · ${data}`;
  const by =
    report.selection.kCriterion === 'mean' ? 'lowest mean BIC over restarts' : 'lowest BIC of the best restart';
  return `chosen K = ${report.selection.chosenK} (${by}) · ${data}`;
}

/**
 * Axis names stand beside their axes (turned), the legend sits below the K axis and the chosen K is a dashed line
 * labelled above the plot, so no label of the chart can land on another.
 */
export function selectionChartOption(report: AnalysisReport): Record<string, unknown> {
  const rows = report.selection.rows.filter((r) => Number.isFinite(r.bic));
  const chosen = report.selection.chosenK;
  const ks = rows.map((r) => r.k);
  const point = (v: (r: (typeof rows)[number]) => number) => rows.map((r) => [String(r.k), v(r)]);
  const yAxis = (name: string, side: 'left' | 'right') => ({
    type: 'value',
    name,
    position: side,
    nameLocation: 'middle',
    nameRotate: side === 'left' ? 90 : -90,
    nameGap: 44,
    scale: true,
    splitLine: { show: side === 'left' },
    axisLabel: { formatter: compactNumber, showMaxLabel: false, fontSize: 11 },
  });
  return {
    animation: false,
    grid: { left: 62, right: 62, top: 22, bottom: 62 },
    legend: { bottom: 0, itemGap: 14, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: ks.map(String),
      name: 'K (states)',
      nameLocation: 'middle',
      nameGap: 24,
      axisLabel: { fontSize: 11 },
    },
    yAxis: [yAxis('held-out LL', 'left'), yAxis('BIC / AIC', 'right')],
    series: [
      { type: 'line', name: 'held-out LL', data: point((r) => r.heldOutLogLikelihood), yAxisIndex: 0 },
      {
        type: 'line',
        name: 'BIC',
        data: point((r) => r.bic),
        yAxisIndex: 1,
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#1f2933' },
          label: { position: 'end', formatter: () => `chosen K = ${chosen}`, fontSize: 11, color: '#1f2933' },
          data: ks.includes(chosen) ? [{ xAxis: String(chosen) }] : [],
        },
      },
      { type: 'line', name: 'AIC', data: point((r) => r.aic), yAxisIndex: 1, lineStyle: { type: 'dashed' } },
    ],
  };
}
