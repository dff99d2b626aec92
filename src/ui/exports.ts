/**
 * What the lab exports, in the CLI's own formats: the runs (JSON, CSV), the analysis (the bundle plus its
 * `analysis`, exactly what `trainmap analyze` writes, so either side reads the other's file) and the map with its
 * title, summary and legend (SVG rendered from the page's chart option; PNG drawn from that SVG).
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { formatRunsCsv, formatRunsJson, type RunBundle } from '../io/index.ts';
import { mapLegend } from '../explain/legend.ts';
import { figureHeader, legendBlock } from '../render/legendSvg.ts';
import { echarts } from './charts/echarts.ts';
import { MAP_MARGIN, mapChartData, mapChartOption } from './charts/mapChart.ts';

export const bundleJson = (bundle: RunBundle): string =>
  formatRunsJson({ format: bundle.format, groups: bundle.groups });
export const bundleCsv = (bundle: RunBundle): string => formatRunsCsv({ format: bundle.format, groups: bundle.groups });
export const analysisJson = (bundle: RunBundle, report: AnalysisReport): string =>
  formatRunsJson({ format: bundle.format, groups: bundle.groups, analysis: report });

/** The map chart alone as SVG (server-side ECharts rendering, no DOM needed), and its node scale. */
export function mapChartSvg(report: AnalysisReport, width: number, height: number): { svg: string; scale: number } {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...mapChartOption(report, { width, height }), backgroundColor: '#ffffff', animation: false });
    return { svg: chart.renderToSVGString(), scale: mapChartData(report, { width, height }).layout.scale };
  } finally {
    chart.dispose();
  }
}

export interface MapFigureOptions {
  /** Names the data in the title (the page passes its session's title). */
  name?: string;
  width?: number;
  mapHeight?: number;
}

/**
 * The exported map: a title and the map in one sentence, the chart as on the page, and the legend (what every mark
 * means, each state in words), as one standalone SVG document.
 */
export function mapSvg(report: AnalysisReport, options: MapFigureOptions = {}): string {
  const width = options.width ?? 1000;
  const mapHeight = options.mapHeight ?? fittedMapHeight(report, width);
  const legend = mapLegend(report, options.name ? { name: options.name } : {});
  const header = figureHeader(legend, 16, 8, width - 32);
  const mapTop = Math.ceil(8 + header.height + 4);
  const chart = mapChartSvg(report, width, mapHeight);
  const key = legendBlock(legend, 16, mapTop + mapHeight + 8, width - 32, chart.scale);
  const height = Math.ceil(mapTop + mapHeight + 8 + key.height + 12);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    header.svg,
    chart.svg.replace(/^<svg /, `<svg x="0" y="${mapTop}" `),
    `<g id="legend">${key.svg}</g>`,
    '</svg>',
  ].join('\n');
}

/**
 * The chart height a map needs at this width: a map in one lane takes far less than a forking one. Laid out at the
 * full height first; the lower height is kept only when it leaves no label out that the full height placed.
 */
export function fittedMapHeight(report: AnalysisReport, width: number, full = 400): number {
  const tall = mapChartData(report, { width, height: full }).layout;
  const ys = [
    ...tall.nodes.flatMap((n) => [n.cy - n.r, n.cy + n.r]),
    ...[...tall.nodes, ...tall.edges].flatMap((x) =>
      x.label ? [x.label.rect.y, x.label.rect.y + x.label.rect.height] : [],
    ),
  ];
  if (ys.length === 0) return full;
  const needed = Math.ceil(Math.max(...ys) - Math.min(...ys) + 40 + MAP_MARGIN.top + MAP_MARGIN.bottom);
  if (needed >= full) return full;
  // Never so low that the states shrink below their size on the full-height chart.
  const keepScale = Math.ceil(200 * tall.scale + MAP_MARGIN.top + MAP_MARGIN.bottom);
  const height = Math.max(keepScale, needed);
  return mapChartData(report, { width, height }).layout.hidden.length <= tall.hidden.length ? height : full;
}

/** The exported map as a PNG at twice its size: the SVG document drawn on a canvas (in the page). */
export async function mapPng(report: AnalysisReport, options: MapFigureOptions = {}): Promise<Blob> {
  const svg = mapSvg(report, options);
  const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 2 * Number(w);
    canvas.height = 2 * Number(h);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('the map PNG needs a 2D canvas, which this browser did not give');
    ctx.scale(2, 2);
    ctx.drawImage(image, 0, 0, Number(w), Number(h));
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('the browser could not encode the map as PNG'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
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
