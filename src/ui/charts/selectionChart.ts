/** Model selection against K (the paper's Fig. 10): held-out log-likelihood, BIC and AIC, the chosen K marked. */
import type { AnalysisReport } from '../../analysis/index.ts';

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

export function selectionChartOption(report: AnalysisReport): Record<string, unknown> {
  const rows = report.selection.rows.filter((r) => Number.isFinite(r.bic));
  const chosen = report.selection.chosenK;
  const point = (v: (r: (typeof rows)[number]) => number) => rows.map((r) => [r.k, v(r)]);
  return {
    animation: false,
    grid: { left: 64, right: 64, top: 34, bottom: 36 },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 'K (states)', nameLocation: 'middle', nameGap: 22, minInterval: 1 },
    yAxis: [
      { type: 'value', name: 'held-out LL', scale: true },
      { type: 'value', name: 'BIC / AIC', scale: true },
    ],
    series: [
      { type: 'line', name: 'held-out LL', data: point((r) => r.heldOutLogLikelihood), yAxisIndex: 0 },
      {
        type: 'line',
        name: 'BIC',
        data: point((r) => r.bic),
        yAxisIndex: 1,
        markPoint: {
          symbol: 'pin',
          symbolSize: 36,
          data: rows.filter((r) => r.k === chosen).map((r) => ({ coord: [r.k, r.bic], value: `K=${r.k}` })),
        },
      },
      { type: 'line', name: 'AIC', data: point((r) => r.aic), yAxisIndex: 1, lineStyle: { type: 'dashed' } },
    ],
  };
}
