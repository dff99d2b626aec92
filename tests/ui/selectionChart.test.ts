import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { selectionChartOption } from '../../src/ui/charts/selectionChart.ts';
import { renderSvg, textBoxes, textProblems } from '../helpers/svgBoxes.ts';
import { sparseParityReport } from './sampleReport.ts';

/** The shipped selection, one fixed K, and curves of a wider range with large values (long tick labels). */
function variants(): { name: string; report: AnalysisReport }[] {
  const report = sparseParityReport();
  const fixed = structuredClone(report);
  fixed.selection.rows = fixed.selection.rows.filter((r) => r.k === 6);
  const wide = structuredClone(report);
  wide.selection.rows = Array.from({ length: 12 }, (_, i) => ({
    ...report.selection.rows[0],
    k: i + 1,
    heldOutLogLikelihood: -1.234e6 + 9e4 * Math.sqrt(i),
    bic: 2.5e6 - 1.7e5 * Math.sqrt(i) + 2e4 * i,
    aic: 2.4e6 - 1.8e5 * Math.sqrt(i),
  }));
  wide.selection.chosenK = 12;
  return [
    { name: 'shipped', report },
    { name: 'fixed K', report: fixed },
    { name: 'K = 1–12, chosen at the top', report: wide },
  ];
}

describe('model selection chart', () => {
  it('server-rendered from phone to wide panel widths: no text overlaps another, and every text stays on the chart', async () => {
    for (const { name, report } of variants())
      for (const width of [300, 380, 520, 800]) {
        const height = 220;
        const boxes = textBoxes(await renderSvg(selectionChartOption(report), width, height));
        expect(boxes.map((b) => b.text)).toEqual(
          expect.arrayContaining(['held-out LL', 'BIC / AIC', 'K (states)', `chosen K = ${report.selection.chosenK}`]),
        );
        expect(textProblems(boxes, width, height), `${name} ${width}`).toEqual([]);
      }
  }, 60_000);
});
