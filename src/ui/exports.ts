/**
 * What the lab exports, in the CLI's own formats: the runs (JSON, CSV), the analysis (the bundle plus its
 * `analysis`, exactly what `trainmap analyze` writes, so either side reads the other's file) and the map (PNG from
 * the chart on screen, SVG rendered from the same option).
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { formatRunsCsv, formatRunsJson, type RunBundle } from '../io/index.ts';
import { echarts } from './charts/echarts.ts';
import { mapChartOption } from './charts/mapChart.ts';

export const bundleJson = (bundle: RunBundle): string =>
  formatRunsJson({ format: bundle.format, groups: bundle.groups });
export const bundleCsv = (bundle: RunBundle): string => formatRunsCsv({ format: bundle.format, groups: bundle.groups });
export const analysisJson = (bundle: RunBundle, report: AnalysisReport): string =>
  formatRunsJson({ format: bundle.format, groups: bundle.groups, analysis: report });

/** The map as a standalone SVG document (server-side ECharts rendering, no DOM needed). */
export function mapSvg(report: AnalysisReport, width = 1000, height = 420): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...mapChartOption(report), backgroundColor: '#ffffff', animation: false });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** A file name from a title: letters, digits and dashes only. */
export function fileStem(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'trainmap'
  );
}

/** Offers a file to the user as a download. */
export function download(name: string, data: string | Blob, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
