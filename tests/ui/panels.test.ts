import { describe, expect, it } from 'vitest';
import { curveSeries, curvesChartOption, runOfPoint, stateSegments } from '../../src/ui/charts/curvesChart.ts';
import { echarts } from '../../src/ui/charts/echarts.ts';
import { mapChartOption } from '../../src/ui/charts/mapChart.ts';
import { stateColor } from '../../src/ui/charts/palette.ts';
import {
  coefficientChartOption,
  convergenceHistogram,
  histogramChartOption,
} from '../../src/ui/charts/regressionChart.ts';
import { ribbonChartOption, ribbonRuns } from '../../src/ui/charts/ribbonChart.ts';
import { selectionChartOption, selectionHeadline } from '../../src/ui/charts/selectionChart.ts';
import { forkingSample, sparseParitySample } from './sampleReport.ts';

const { bundle, report } = sparseParitySample();

describe('ribbon panel', () => {
  it('one row per included run, cells = its Viterbi path; by convergence puts the fastest first and the unconverged last', () => {
    const byRun = ribbonRuns(report, 'run');
    expect(byRun.map((r) => r.key)).toEqual(report.runs.filter((r) => r.included).map((r) => r.key));
    const byConv = ribbonRuns(report, 'convergence');
    const times = byConv.map((r) => (r.convergence!.converged ? r.convergence!.checkpoint : Infinity));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const option = ribbonChartOption(report, 'convergence') as {
      series: { data: number[][] }[];
      yAxis: { data: string[] };
    };
    // Rows are listed bottom-up in ECharts; the first in display order is the last category.
    expect(option.yAxis.data.at(-1)).toBe(byConv[0].key);
    const stretchesOf = option.series[0].data;
    // A rectangle per stretch in one state: expanding them back gives every run's Viterbi path exactly.
    expect(stretchesOf.length).toBeLessThan(byConv.reduce((n, r) => n + r.path!.length, 0) / 10);
    option.yAxis.data.forEach((key, row) => {
      const path = stretchesOf
        .filter((c) => c[2] === row)
        .flatMap(([from, to, , state]) => new Array(to - from).fill(state));
      expect(path, key).toEqual(report.runs.find((r) => r.key === key)!.path);
    });
    const row = option.yAxis.data.indexOf(byConv[0].key);
    // The convergence marks sit where each run converged (the middle of its checkpoint's cell).
    expect(option.series[1].data).toContainEqual([byConv[0].convergence!.checkpoint + 0.5, row]);
  });

  it('runs that have not converged yet (censored) get no convergence mark and sort last', () => {
    const { report: fork } = forkingSample();
    const order = ribbonRuns(fork, 'convergence');
    const firstUnconverged = order.findIndex((r) => !r.convergence!.converged);
    if (firstUnconverged >= 0) expect(order.slice(firstUnconverged).every((r) => !r.convergence!.converged)).toBe(true);
    const marks = (ribbonChartOption(fork, 'convergence') as { series: { data: unknown[] }[] }).series[1].data;
    expect(marks).toHaveLength(order.filter((r) => r.convergence!.converged).length);
  });
});

describe('curves panel', () => {
  it('every point of a run carries the state it was decoded in; segments split exactly where the state changes', () => {
    const series = curveSeries(bundle, report, 'eval_acc');
    expect(series).toHaveLength(40);
    const run = report.runs.find((r) => r.key === series[0].key)!;
    expect(series[0].points.map((p) => p[2])).toEqual(run.path);
    expect(series[0].points.map((p) => p[0])).toEqual(
      bundle.groups[0].runs.find((r) => r.id === run.id)!.checkpoints.step,
    );
    const segments = stateSegments(series[0].points);
    expect(segments.map((s) => s.state)).toEqual(run.path!.filter((s, t) => t === 0 || run.path![t - 1] !== s));
    // Neighbouring segments share their boundary point, so each run is drawn unbroken.
    for (let i = 1; i < segments.length; i++) expect(segments[i - 1].points.at(-1)).toEqual(segments[i].points[0]);
  });

  it('one series per state (a handful however many runs), every run in it apart by gaps; a selected run comes forward', () => {
    const key = report.runs[3].key;
    const option = curvesChartOption(bundle, report, 'l2', key) as {
      series: {
        name: string;
        color: string;
        data: (number | null)[][];
        lineStyle: { opacity: number; width: number };
      }[];
    };
    const visited = report.map.nodes.filter((n) => n.runs > 0);
    const perState = option.series.filter((s) => s.name.startsWith('state '));
    expect(perState.map((s) => s.color)).toEqual(visited.map((n) => stateColor(n.state)));
    // Every point of every run is in exactly its state's series (boundary points in both neighbours).
    const series = curveSeries(bundle, report, 'l2');
    const points = perState.reduce((n, s) => n + s.data.filter((d) => d[0] !== null).length, 0);
    const boundaries = series.reduce((n, s) => n + stateSegments(s.points).length - 1, 0);
    expect(points).toBe(series.reduce((n, s) => n + s.points.length, 0) + boundaries);
    expect(perState.every((s) => s.lineStyle.opacity === 0.15)).toBe(true);
    const mine = option.series.filter((s) => s.name === key);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((s) => s.lineStyle.width === 3)).toBe(true);
    // Clicking any point names its run.
    expect(
      runOfPoint(
        series,
        perState[0].data.find((d) => d[0] !== null),
      ),
    ).toBe(series[0].key);
  });

  it('a column a run lacks, or non-finite values, are left out rather than drawn as zero', () => {
    expect(curveSeries(bundle, report, 'no_such_column')).toEqual([]);
    const b = structuredClone(bundle);
    b.groups[0].runs[0].checkpoints.l2[5] = NaN;
    const s = curveSeries(b, report, 'l2').find((x) => x.key === b.groups[0].runs[0].id)!;
    expect(s.points).toHaveLength(b.groups[0].runs[0].checkpoints.step.length - 1);
  });
});

describe('model selection and regression panels', () => {
  it('held-out LL, BIC and AIC against K, the chosen K marked', () => {
    const option = selectionChartOption(report) as {
      series: { name: string; data: (string | number)[][]; markLine?: { data: { xAxis: string }[] } }[];
    };
    const rows = report.selection.rows;
    expect(option.series.map((s) => s.name)).toEqual(['held-out LL', 'BIC', 'AIC']);
    expect(option.series[1].data).toEqual(rows.map((r) => [String(r.k), r.bic]));
    expect(option.series[1].markLine!.data[0].xAxis).toBe(String(report.selection.chosenK));
  });

  it('the headline says how K was chosen, and that a fixed states setting chose nothing', () => {
    const heldOut = report.runs.filter((r) => r.role === 'held-out').length;
    expect(selectionHeadline(report)).toBe(
      `chosen K = ${report.selection.chosenK} (lowest BIC of the best restart) · ${heldOut} held-out runs, ${report.selection.nHeldOutObservations} checkpoints`,
    );
    const fixed = { ...report, settings: { ...report.settings, states: 4 } };
    expect(selectionHeadline(fixed)).toMatch(/^K = \d+, fixed by the states setting \(no selection over K\) · /);
    const byMean = { ...report, selection: { ...report.selection, kCriterion: 'mean' as const } };
    expect(selectionHeadline(byMean)).toMatch(/\(lowest mean BIC over restarts\)/);
  });

  it('coefficients per visited state and a histogram of convergence checkpoints that counts every converged run once', () => {
    const coef = coefficientChartOption(report) as { series: { data: { value: number }[] }[] };
    const reg = report.regression as { coefficients: number[]; states: number[] };
    expect(coef.series[0].data.map((d) => d.value)).toEqual(
      reg.states.filter((k) => Number.isFinite(reg.coefficients[k])).map((k) => reg.coefficients[k]),
    );
    const h = convergenceHistogram(report);
    const converged = report.runs.filter((r) => r.convergence?.converged).map((r) => r.convergence!.checkpoint);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(converged.length);
    for (const t of converged) {
      const bin = h.edges.findIndex((e, i) => i < h.counts.length && t >= e && t < h.edges[i + 1]);
      expect(bin).toBeGreaterThanOrEqual(0);
    }
    expect(histogramChartOption(report)).not.toBeNull();
  });
});

describe('every panel option renders (ECharts server-side, SVG)', () => {
  it('map, ribbon, curves, selection, coefficients, histogram', () => {
    const options = [
      mapChartOption(report, { selectedRun: report.runs[0].key }),
      ribbonChartOption(report, 'run'),
      curvesChartOption(bundle, report, 'train_loss', null, true),
      selectionChartOption(report),
      coefficientChartOption(report)!,
      histogramChartOption(report)!,
    ];
    for (const option of options) {
      const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
      chart.setOption(option);
      const svg = chart.renderToSVGString();
      chart.dispose();
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.length).toBeGreaterThan(1000);
    }
  });
});
