/**
 * The analysis as one SVG figure: the training map (states placed by when runs first reach them, edge
 * width by how many runs take them, detours outlined), the model-selection curves (the paper's Fig. 10)
 * and every run's state path, ordered by convergence time.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { safeText } from '../io/safeText.ts';
import { el, stateColor, text } from './svg.ts';

/** A feature name from the bundle as the figure shows it: as text only, escaped, cut to fit a label. */
const label = (s: string) => safeText(s, 48);

const W = 1100;
const MAP_H = 380;
const PANEL_H = 300;
const FONT = 'font-family="system-ui, sans-serif"';

interface Placed {
  state: number;
  x: number;
  y: number;
  r: number;
}

function placeNodes(report: AnalysisReport): Placed[] {
  const nodes = [...report.map.nodes.filter((n) => n.runs > 0)].sort((a, b) => a.meanFirstVisit - b.meanFirstVisit);
  const maxFirst = Math.max(1, ...nodes.map((n) => n.meanFirstVisit));
  const left = 90;
  const right = W - 220;
  const radius = nodes.map((n) => 14 + 30 * Math.sqrt(n.occupancy));
  // x follows the mean first visit, but consecutive states keep room for a labelled edge between them.
  const xs = nodes.map((n) => left + ((right - left) * n.meanFirstVisit) / maxFirst);
  for (let i = 1; i < xs.length; i++) xs[i] = Math.max(xs[i], xs[i - 1] + radius[i - 1] + radius[i] + 70);
  const span = xs.length ? xs[xs.length - 1] - left : 0;
  if (span > right - left) for (let i = 0; i < xs.length; i++) xs[i] = left + ((xs[i] - left) * (right - left)) / span;
  const lanes = [MAP_H / 2, MAP_H / 2 - 110, MAP_H / 2 + 110, MAP_H / 2 - 55, MAP_H / 2 + 55];
  const placed: Placed[] = [];
  nodes.forEach((n, i) => {
    const x = xs[i];
    const r = radius[i];
    // The first lane where this node keeps clear of those already placed.
    const y =
      lanes.find((ly) => placed.every((p) => Math.hypot(p.x - x, p.y - ly) > p.r + r + 24)) ??
      lanes[placed.length % lanes.length];
    placed.push({ state: n.state, x, y, r });
  });
  return placed;
}

function mapPanel(report: AnalysisReport): string {
  const placed = placeNodes(report);
  const at = new Map(placed.map((p) => [p.state, p]));
  const maxRuns = Math.max(1, ...report.map.edges.map((e) => e.runs));
  const detours = new Set(report.detours);
  const support = edgeSupport(report);
  const parts: string[] = [];
  parts.push(
    el(
      'defs',
      {},
      el(
        'marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 9,
          markerHeight: 9,
          markerUnits: 'userSpaceOnUse',
          orient: 'auto-start-reverse',
        },
        el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#555' }),
      ),
    ),
  );
  parts.push(...ghostEdges(report, at));
  for (const e of report.map.edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    const sup = support(e.from, e.to);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.max(1, Math.hypot(dx, dy));
    // Bend each edge to its left so j→k and k→j do not overlap.
    const bend = 0.18 * len;
    const mx = (a.x + b.x) / 2 - (dy / len) * bend;
    const my = (a.y + b.y) / 2 + (dx / len) * bend;
    const sx = a.x + (dx / len) * a.r;
    const sy = a.y + (dy / len) * a.r;
    const ex = b.x - (dx / len) * (b.r + 4);
    const ey = b.y - (dy / len) * (b.r + 4);
    parts.push(
      el('path', {
        d: `M${sx},${sy} Q${mx},${my} ${ex},${ey}`,
        fill: 'none',
        stroke: '#555',
        'stroke-opacity': sup === undefined ? 0.75 : 0.2 + 0.6 * sup,
        'stroke-width': 1 + (5 * e.runs) / maxRuns,
        'stroke-dasharray': sup !== undefined && sup < 0.5 ? '6 4' : undefined,
        'marker-end': 'url(#arrow)',
      }),
    );
    const top = e.changes[0];
    const supText = sup === undefined ? '' : ` · ${Math.round(100 * sup)}%`;
    const edgeLabel = `${e.runs} run${e.runs > 1 ? 's' : ''}${supText}`;
    const change = top ? `${label(top.feature)} ${top.delta >= 0 ? '↑' : '↓'}${Math.abs(top.delta).toFixed(2)}` : '';
    // Just beyond the curve's apex (a quadratic reaches half way to its control point), on its outer side.
    const lx = (a.x + b.x) / 2 - (dy / len) * (bend / 2 + 14);
    const ly = (a.y + b.y) / 2 + (dx / len) * (bend / 2 + 14) + 4;
    parts.push(text(lx, ly, edgeLabel, { 'font-size': 11, 'text-anchor': 'middle', fill: '#333' }));
    // The change goes on a second line so that labels of neighbouring edges do not run into each other.
    if (change) parts.push(text(lx, ly + 12, change, { 'font-size': 10, 'text-anchor': 'middle', fill: '#555' }));
  }
  for (const p of placed) {
    const n = report.map.nodes[p.state];
    parts.push(
      el('circle', {
        cx: p.x,
        cy: p.y,
        r: p.r,
        fill: stateColor(n.identity ?? p.state),
        'fill-opacity': 0.85,
        stroke: detours.has(p.state) ? '#c00' : '#333',
        'stroke-width': detours.has(p.state) ? 3 : 1,
        'stroke-dasharray': detours.has(p.state) ? '5 3' : undefined,
      }),
    );
    parts.push(
      text(p.x, p.y + 4, String(p.state), {
        'font-size': 14,
        'font-weight': 'bold',
        'text-anchor': 'middle',
        fill: '#fff',
      }),
    );
    parts.push(
      text(p.x, p.y - p.r - 8, n.topFeatures.map((f) => label(f.feature)).join(', '), {
        'font-size': 10,
        'text-anchor': 'middle',
        fill: '#444',
      }),
    );
  }
  const reg = report.regression;
  const regText =
    'skipped' in reg
      ? 'regression skipped'
      : `R² ${reg.rSquared.toFixed(3)}, p ${reg.fPValue < 1e-3 ? reg.fPValue.toExponential(1) : reg.fPValue.toFixed(3)}${reg.significant ? '' : ' (not significant)'}`;
  const st = report.stability;
  const verdict =
    'skipped' in st
      ? report.map.shape
      : `${report.map.shape} (support ${Math.round(100 * st.verdict.support)}% of ${st.comparable} fits)`;
  const title = `Training map: ${verdict}, K=${report.selection.chosenK} · ${regText} · detours: ${report.detours.length ? report.detours.join(', ') : 'none'} · dissimilarity ${report.dissimilarity.stateIndex.toFixed(3)}`;
  parts.push(text(16, 24, title, { 'font-size': 15, 'font-weight': 'bold' }));
  parts.push(
    text(
      16,
      MAP_H - 26,
      'left to right: order of first visit (spaced by mean checkpoint) · area: occupancy · edge width: runs taking it · dashed red: detour state',
      {
        'font-size': 11,
        fill: '#666',
      },
    ),
  );
  parts.push(
    text(
      16,
      MAP_H - 12,
      'edge opacity and %: share of comparable restarts whose map has the edge (dashed: under 50%; grey dotted: edges of other restarts, not of this fit)',
      {
        'font-size': 11,
        fill: '#666',
      },
    ),
  );
  return parts.join('');
}

/** Support of a shown edge across comparable restarts, or undefined when no stability report was made. */
function edgeSupport(report: AnalysisReport): (from: number, to: number) => number | undefined {
  const st = report.stability;
  if ('skipped' in st) return () => undefined;
  return (from, to) => st.edges.find((e) => e.from === from && e.to === to)?.support;
}

/** Edges other comparable restarts have and the shown fit lacks (a quarter of the fits or more), faint and dashed. */
function ghostEdges(report: AnalysisReport, at: Map<number, Placed>): string[] {
  const st = report.stability;
  if ('skipped' in st) return [];
  const parts: string[] = [];
  for (const e of st.edges.filter((x) => !x.shown && x.support >= 0.25)) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.max(1, Math.hypot(dx, dy));
    const bend = 0.3 * len;
    const mx = (a.x + b.x) / 2 - (dy / len) * bend;
    const my = (a.y + b.y) / 2 + (dx / len) * bend;
    parts.push(
      el('path', {
        d: `M${a.x + (dx / len) * a.r},${a.y + (dy / len) * a.r} Q${mx},${my} ${b.x - (dx / len) * (b.r + 4)},${b.y - (dy / len) * (b.r + 4)}`,
        fill: 'none',
        stroke: '#999',
        'stroke-width': 1,
        'stroke-dasharray': '3 3',
        'marker-end': 'url(#arrow)',
      }),
    );
    parts.push(
      text(
        (a.x + b.x) / 2 - (dy / len) * (bend / 2 + 10),
        (a.y + b.y) / 2 + (dx / len) * (bend / 2 + 10) + 4,
        `${Math.round(100 * e.support)}%`,
        {
          'font-size': 10,
          'text-anchor': 'middle',
          fill: '#888',
        },
      ),
    );
  }
  return parts;
}

function selectionPanel(report: AnalysisReport, x0: number, y0: number, w: number, h: number): string {
  const rows = report.selection.rows.filter((r) => Number.isFinite(r.bic));
  if (rows.length === 0) return '';
  const pad = { l: 70, r: 16, t: 30, b: 36 };
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
    parts.push(text(x0 + pad.l + 10 + i * 120, y0 + pad.t - 4, s.name, { 'font-size': 11, fill: s.color }));
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
    text(x0 + 8, y0 + 16, `State of every run over its checkpoints (sorted by convergence; ▏= converged)`, {
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
          fill: stateColor(report.map.nodes[path[start]]?.identity ?? path[start]),
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

export function analysisFigureSvg(report: AnalysisReport): string {
  const h = MAP_H + PANEL_H;
  const body = [
    el('rect', { x: 0, y: 0, width: W, height: h, fill: '#fff' }),
    mapPanel(report),
    selectionPanel(report, 0, MAP_H, W * 0.45, PANEL_H),
    pathsPanel(report, W * 0.47, MAP_H, W * 0.53, PANEL_H),
  ].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" ${FONT}>\n${body}\n</svg>\n`;
}
