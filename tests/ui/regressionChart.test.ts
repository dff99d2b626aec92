import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../../src/io/index.ts';
import { coefficientChartOption, histogramChartOption } from '../../src/ui/charts/regressionChart.ts';
import { DETOUR_COLOR } from '../../src/ui/charts/palette.ts';
import { mapReportSet } from '../helpers/mapReports.ts';
import { renderSvg, textBoxes, textProblems } from '../helpers/svgBoxes.ts';
import { sparseParityReport } from './sampleReport.ts';

describe('regression charts', () => {
  const reports = [{ name: 'sparse-parity', report: sparseParityReport() }, ...mapReportSet(DEFAULT_FEATURES)];

  it('detours are outlined as on the map (dashed red), every state named under its bar', () => {
    const fork = reports.find((r) => r.name === 'forking-5')!.report;
    const option = coefficientChartOption(fork) as {
      xAxis: { data: string[] };
      series: { data: { itemStyle: { borderColor?: string; borderType: string } }[] }[];
    };
    const reg = fork.regression as { states: number[]; coefficients: number[] };
    const states = reg.states.filter((k) => Number.isFinite(reg.coefficients[k]));
    expect(option.xAxis.data).toEqual(states.map(String));
    states.forEach((k, i) => {
      const style = option.series[0].data[i].itemStyle;
      expect(style.borderColor === DETOUR_COLOR && style.borderType === 'dashed').toBe(fork.detours.includes(k));
    });
  });

  it('server-rendered at the panel’s widths: no text overlaps another, and every text stays on the chart', async () => {
    for (const { name, report } of reports)
      for (const width of [220, 300, 440]) {
        const height = 200;
        for (const option of [coefficientChartOption(report), histogramChartOption(report)]) {
          if (!option) continue;
          const boxes = textBoxes(await renderSvg(option, width, height));
          expect(boxes.length).toBeGreaterThan(3);
          expect(textProblems(boxes, width, height), `${name} ${width}`).toEqual([]);
        }
      }
  }, 60_000);
});
