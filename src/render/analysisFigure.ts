/**
 * The analysis as one SVG figure: the training map (states placed by when runs first reach them, edge
 * width by how many runs take them, detours outlined), the model-selection curves (the paper's Fig. 10)
 * and every run's state path, ordered by convergence time.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { mapLegend } from '../explain/legend.ts';
import { describeStates } from '../explain/stateWords.ts';
import { edgeSupport, otherEdges, percent } from '../explain/support.ts';
import { safeText } from '../io/safeText.ts';
import type { Point } from './labelPlacement.ts';
import { figureHeader, legendBlock } from './legendSvg.ts';
import { curvePoint, edgeWidth, layoutMap, type LaidEdge, type LaidLabel, type LaidNode } from './mapLayout.ts';
import { colorOfState, DETOUR_COLOR } from './stateColor.ts';
import { el, text } from './svg.ts';

/** A feature name from the bundle as the figure shows it: as text only, escaped, cut to fit a label. */
const label = (s: string) => safeText(s, 48);

const W = 1100;
const MAP_H = 360;
const PANEL_H = 300;
const FONT = 'font-family="system-ui, sans-serif"';
const MAP_MARGIN = { left: 16, right: 16, top: 6, bottom: 30 };

/** Tick values at a round step, about `count` of them, within [lo, hi]. */
function roundTicks(lo: number, hi: number, count = 6): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(Math.round(v * 1e9) / 1e9);
  return out;
}

/** An arrow from the edge of one circle to the edge of the other, along the layout's curve. */
function edgePath(e: LaidEdge, from: LaidNode, to: LaidNode): string {
  const toward = (p: Point, q: Point, d: number) => {
    const len = Math.max(1e-9, Math.hypot(q.x - p.x, q.y - p.y));
    return { x: p.x + ((q.x - p.x) / len) * d, y: p.y + ((q.y - p.y) / len) * d };
  };
  const s = toward(e.start, e.control, from.r);
  const t = toward(e.end, e.control, to.r + 4);
  return `M${num(s.x)},${num(s.y)} Q${num(e.control.x)},${num(e.control.y)} ${num(t.x)},${num(t.y)}`;
}

const num = (x: number) => String(Math.round(x * 100) / 100);

function labelText(l: LaidLabel, fill: string): string {
  const r = l.rect;
  const top = r.y + (r.height - l.lines.length * l.lineHeight) / 2;
  return [
    el('rect', { x: r.x, y: r.y, width: r.width, height: r.height, rx: 2, fill: '#ffffff', 'fill-opacity': 0.85 }),
    ...l.lines.map((line, i) =>
      text(r.x + r.width / 2, top + (i + 0.5) * l.lineHeight + l.fontSize * 0.35, line, {
        'font-size': l.fontSize,
        'text-anchor': 'middle',
        fill,
      }),
    ),
  ].join('');
}

/** The map, laid out by src/render/mapLayout.ts (as the page's chart is), at (0, y0). */
function mapPanel(report: AnalysisReport, y0: number): { svg: string; scale: number; height: number } {
  const detours = new Set(report.detours);
  const support = (from: number, to: number) => edgeSupport(report, from, to);
  const words = new Map(describeStates(report).map((d) => [d.state, d]));
  const ghosts = otherEdges(report)
    .filter((x) => x.support >= 0.25)
    .map((x) => ({ from: x.from, to: x.to, text: percent(x.support) }));
  const layout = layoutMap(report, {
    width: W,
    height: MAP_H,
    margin: MAP_MARGIN,
    nodeFont: 11,
    edgeFont: 11,
    nodeLabels: (s) => {
      const d = words.get(s);
      const w = d ? label(d.short) : '';
      return detours.has(s) ? [[`detour · ${w}`], ['detour']] : [[w]];
    },
    edgeLabels: (e) => {
      const edge = report.map.edges.find((x) => x.from === e.from && x.to === e.to)!;
      const top = edge.changes[0];
      const runs = `${e.runs} run${e.runs > 1 ? 's' : ''}${support(e.from, e.to) === undefined ? '' : ` · ${percent(support(e.from, e.to)!)}`}`;
      const change = top ? `${label(top.feature)} ${top.delta >= 0 ? '↑' : '↓'}${Math.abs(top.delta).toFixed(2)}` : '';
      return change ? [[runs, change], [runs]] : [[runs]];
    },
    extraEdges: ghosts,
  });
  const at = new Map(layout.nodes.map((n) => [n.state, n]));
  const maxRuns = Math.max(1, ...report.map.edges.map((e) => e.runs));
  const parts: string[] = [
    el(
      'defs',
      {},
      ['arrow', 'ghost-arrow']
        .map((id) =>
          el(
            'marker',
            {
              id,
              viewBox: '0 0 10 10',
              refX: 9,
              refY: 5,
              markerWidth: 9,
              markerHeight: 9,
              markerUnits: 'userSpaceOnUse',
              orient: 'auto-start-reverse',
            },
            el('path', { d: 'M0,0 L10,5 L0,10 z', fill: id === 'arrow' ? '#555' : '#999' }),
          ),
        )
        .join(''),
    ),
  ];
  // The drawing keeps only the height it uses: a linear map in one lane needs far less than a forking one.
  const { plot, xDomain } = layout;
  const ys = [
    ...layout.nodes.flatMap((n) => [n.cy - n.r, n.cy + n.r]),
    ...[...layout.nodes, ...layout.edges].flatMap((x) =>
      x.label ? [x.label.rect.y, x.label.rect.y + x.label.rect.height] : [],
    ),
    ...layout.edges.flatMap((e) => [0.25, 0.5, 0.75].map((t) => curvePoint(e.start, e.control, e.end, t).y)),
  ];
  const contentTop = (ys.length ? Math.min(...ys) : plot.y) - 4;
  const axisY = Math.max(...ys, contentTop + 40) + 10;
  const xOf = (v: number) => plot.x + ((v - xDomain[0]) / (xDomain[1] - xDomain[0])) * plot.width;
  parts.push(el('line', { x1: plot.x, y1: axisY, x2: plot.x + plot.width, y2: axisY, stroke: '#bbb' }));
  for (const v of roundTicks(Math.max(0, xDomain[0]), xDomain[1]))
    parts.push(
      el('line', { x1: xOf(v), y1: axisY, x2: xOf(v), y2: axisY + 4, stroke: '#bbb' }),
      text(xOf(v), axisY + 15, String(v), { 'font-size': 10, 'text-anchor': 'middle', fill: '#777' }),
    );
  parts.push(
    text(plot.x + plot.width, axisY + 27, 'mean first visit (checkpoint) →', {
      'font-size': 10,
      'text-anchor': 'end',
      fill: '#777',
    }),
  );
  for (const e of layout.edges) {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    if (e.extra) {
      parts.push(
        el('path', {
          d: edgePath(e, a, b),
          fill: 'none',
          stroke: '#999',
          'stroke-width': 1,
          'stroke-dasharray': '3 3',
          'marker-end': 'url(#ghost-arrow)',
        }),
      );
      continue;
    }
    const sup = support(e.from, e.to);
    parts.push(
      el('path', {
        d: edgePath(e, a, b),
        fill: 'none',
        stroke: '#555',
        'stroke-opacity': sup === undefined ? 0.75 : 0.2 + 0.6 * sup,
        'stroke-width': edgeWidth(e.runs, maxRuns),
        'stroke-dasharray': sup !== undefined && sup < 0.5 ? '6 4' : undefined,
        'marker-end': 'url(#arrow)',
      }),
    );
  }
  for (const p of layout.nodes) {
    const detour = detours.has(p.state);
    parts.push(
      el('circle', {
        cx: p.cx,
        cy: p.cy,
        r: p.r,
        fill: colorOfState(report, p.state),
        'fill-opacity': 0.9,
        stroke: detour ? DETOUR_COLOR : '#333',
        'stroke-width': detour ? 3 : 1,
        'stroke-dasharray': detour ? '5 3' : undefined,
      }),
      text(p.cx, p.cy + 5, String(p.state), {
        'font-size': 14,
        'font-weight': 'bold',
        'text-anchor': 'middle',
        fill: '#fff',
      }),
    );
  }
  for (const e of layout.edges) if (e.label) parts.push(labelText(e.label, e.extra ? '#888' : '#333'));
  for (const p of layout.nodes)
    if (p.label) parts.push(labelText(p.label, detours.has(p.state) ? DETOUR_COLOR : '#333'));
  return {
    svg: `<g id="map" transform="translate(0 ${num(y0 - contentTop)})">${parts.join('')}</g>`,
    scale: layout.scale,
    height: axisY + 30 - contentTop,
  };
}

function selectionPanel(report: AnalysisReport, x0: number, y0: number, w: number, h: number): string {
  const rows = report.selection.rows.filter((r) => Number.isFinite(r.bic));
  if (rows.length === 0) return '';
  if (rows.length === 1)
    return text(x0 + 8, y0 + 16, `K = ${rows[0].k} was fixed: no selection over K to draw.`, {
      'font-size': 13,
      'font-weight': 'bold',
    });
  const pad = { l: 70, r: 16, t: 40, b: 36 };
  const ks = rows.map((r) => r.k);
  const series = [
    { name: 'BIC', color: '#e15759', values: rows.map((r) => r.bic) },
    { name: 'AIC', color: '#4e79a7', values: rows.map((r) => r.aic) },
    { name: '−2·held-out LL', color: '#59a14f', values: rows.map((r) => -2 * r.heldOutLogLikelihood) },
  ];
  const all = series.flatMap((s) => s.values);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const kMin = Math.min(...ks);
  const kMax = Math.max(...ks);
  const sx = (k: number) => x0 + pad.l + ((w - pad.l - pad.r) * (k - kMin)) / Math.max(1, kMax - kMin);
  const sy = (v: number) => y0 + pad.t + (h - pad.t - pad.b) * (1 - (v - lo) / Math.max(1e-9, hi - lo));
  const parts = [
    text(x0 + 8, y0 + 16, `Model selection (held-out runs; chosen K=${report.selection.chosenK}, lowest BIC)`, {
      'font-size': 13,
      'font-weight': 'bold',
    }),
  ];
  parts.push(
    el('line', { x1: x0 + pad.l, y1: y0 + h - pad.b, x2: x0 + w - pad.r, y2: y0 + h - pad.b, stroke: '#999' }),
  );
  for (const k of ks)
    parts.push(text(sx(k), y0 + h - pad.b + 16, String(k), { 'font-size': 11, 'text-anchor': 'middle' }));
  parts.push(
    text(x0 + w / 2, y0 + h - 4, 'number of states K', { 'font-size': 11, 'text-anchor': 'middle', fill: '#555' }),
  );
  for (const v of [lo, (lo + hi) / 2, hi])
    parts.push(
      text(x0 + pad.l - 6, sy(v) + 4, v.toExponential(2), { 'font-size': 10, 'text-anchor': 'end', fill: '#555' }),
    );
  series.forEach((s, i) => {
    parts.push(
      el('polyline', {
        points: s.values.map((v, j) => `${sx(ks[j])},${sy(v)}`).join(' '),
        fill: 'none',
        stroke: s.color,
        'stroke-width': 2,
      }),
    );
    parts.push(text(x0 + pad.l + 10 + i * 120, y0 + pad.t - 8, s.name, { 'font-size': 11, fill: s.color }));
  });
  parts.push(
    el('line', {
      x1: sx(report.selection.chosenK),
      y1: y0 + pad.t,
      x2: sx(report.selection.chosenK),
      y2: y0 + h - pad.b,
      stroke: '#333',
      'stroke-dasharray': '4 3',
    }),
  );
  return parts.join('');
}

function pathsPanel(report: AnalysisReport, x0: number, y0: number, w: number, h: number): string {
  const runs = report.runs.filter((r) => r.included && r.path);
  if (runs.length === 0) return '';
  const conv = (r: (typeof runs)[0]) => r.convergence?.checkpoint ?? Infinity;
  const sorted = [...runs].sort((a, b) => conv(a) - conv(b));
  const pad = { l: 10, r: 10, t: 30, b: 22 };
  const longest = Math.max(...sorted.map((r) => r.path!.length));
  const rowH = (h - pad.t - pad.b) / sorted.length;
  const cw = (w - pad.l - pad.r) / longest;
  const parts = [
    text(x0 + 8, y0 + 16, `Every run’s states over its checkpoints (by convergence; ▏ converged)`, {
      'font-size': 13,
      'font-weight': 'bold',
    }),
  ];
  sorted.forEach((r, i) => {
    const y = y0 + pad.t + i * rowH;
    const path = r.path!;
    let start = 0;
    for (let t = 1; t <= path.length; t++) {
      if (t < path.length && path[t] === path[start]) continue;
      parts.push(
        el('rect', {
          x: x0 + pad.l + start * cw,
          y,
          width: (t - start) * cw + 0.3,
          height: Math.max(1, rowH - 0.5),
          fill: colorOfState(report, path[start]),
        }),
      );
      start = t;
    }
    if (r.convergence?.converged)
      parts.push(
        el('rect', {
          x: x0 + pad.l + r.convergence.checkpoint * cw - 1,
          y,
          width: 2,
          height: Math.max(1, rowH - 0.5),
          fill: '#000',
        }),
      );
  });
  parts.push(
    text(x0 + w / 2, y0 + h - 6, `checkpoint (0 … ${longest - 1})`, {
      'font-size': 11,
      'text-anchor': 'middle',
      fill: '#555',
    }),
  );
  return parts.join('');
}

/**
 * The figure: a title and the map in one sentence, the map, its legend (what every mark means and each state in
 * words), then model selection and every run's path.
 */
export function analysisFigureSvg(report: AnalysisReport, options: { name?: string } = {}): string {
  const legend = mapLegend(report, { ghostEdges: true, ...(options.name ? { name: options.name } : {}) });
  const header = figureHeader(legend, 16, 8, W - 32);
  const mapTop = 8 + header.height + 6;
  const map = mapPanel(report, mapTop);
  const key = legendBlock(legend, 16, mapTop + map.height + 6, W - 32, map.scale);
  const panelsTop = mapTop + map.height + 6 + key.height + 16;
  const h = panelsTop + PANEL_H;
  const body = [
    el('rect', { x: 0, y: 0, width: W, height: h, fill: '#fff' }),
    header.svg,
    map.svg,
    `<g id="legend">${key.svg}</g>`,
    selectionPanel(report, 0, panelsTop, W * 0.45, PANEL_H),
    pathsPanel(report, W * 0.47, panelsTop, W * 0.53, PANEL_H),
  ].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${num(h)}" viewBox="0 0 ${W} ${num(h)}" ${FONT}>\n${body}\n</svg>\n`;
}
