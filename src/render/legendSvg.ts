/**
 * The map's legend, title and summary drawn as SVG text (no DOM), from the legend model (src/explain/legend.ts): the
 * CLI figure, the page's exported SVG/PNG and the page panel's small marks all come from here.
 */
import type { LegendMark, MapLegend } from '../explain/legend.ts';
import { edgeWidth, nodeDiameter } from './mapLayout.ts';
import { el, text } from './svg.ts';
import { DETOUR_COLOR, INK, MUTED } from './stateColor.ts';
import { textWidth } from './textMeasure.ts';

/** Splits text into lines no wider than `width` at `fontSize`, breaking at spaces (a longer word gets a line of its own). */
export function wrapText(s: string, width: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, fontSize, bold) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export interface Drawn {
  svg: string;
  width: number;
  height: number;
}

const MARK_W = 56;

function arrowHead(x: number, y: number, size: number, color: string): string {
  return el('path', { d: `M${x - size},${y - size / 2} L${x},${y} L${x - size},${y + size / 2} z`, fill: color });
}

function line(x1: number, y: number, x2: number, width: number, attrs: Record<string, string | number> = {}): string {
  return el('line', { x1, y1: y, x2, y2: y, stroke: MUTED, 'stroke-width': width, ...attrs });
}

/** One mark of the legend, drawn from (0, 0); `scale` is the map's node scale, so sizes match the map. */
export function legendMark(mark: LegendMark, legend: MapLegend, scale = 1): Drawn {
  switch (mark) {
    case 'position': {
      const body = [
        line(4, 10, MARK_W - 6, 1.5, { stroke: INK }),
        arrowHead(MARK_W - 2, 10, 8, INK),
        text(4, 24, 'early', { 'font-size': 9, fill: MUTED }),
        text(MARK_W - 2, 24, 'late', { 'font-size': 9, fill: MUTED, 'text-anchor': 'end' }),
      ];
      return { svg: body.join(''), width: MARK_W, height: 28 };
    }
    case 'size': {
      const ds = legend.sizes.map((o) => nodeDiameter(o.occupancy, scale));
      const h = Math.max(...ds) + 12;
      let x = 2;
      const parts: string[] = [];
      legend.sizes.forEach((o, i) => {
        const d = ds[i];
        parts.push(
          el('circle', { cx: x + d / 2, cy: d / 2 + 1, r: d / 2, fill: '#c9d3dd', stroke: INK, 'stroke-width': 0.5 }),
        );
        parts.push(text(x + d / 2, h, o.text, { 'font-size': 9, fill: MUTED, 'text-anchor': 'middle' }));
        x += d + 8;
      });
      return { svg: parts.join(''), width: Math.max(MARK_W, x), height: h + 2 };
    }
    case 'width': {
      const parts: string[] = [];
      legend.widths.runs.forEach((runs, i) => {
        const y = 8 + i * 16;
        const w = edgeWidth(runs, legend.widths.maxRuns);
        parts.push(line(2, y, MARK_W - 20, w), arrowHead(MARK_W - 14, y, 8, MUTED));
        parts.push(text(MARK_W - 10, y + 3, String(runs), { 'font-size': 9, fill: MUTED }));
      });
      return { svg: parts.join(''), width: MARK_W + 6, height: Math.max(16, 16 * legend.widths.runs.length) };
    }
    case 'edge-label': {
      const label = legend.edgeExample ?? '12';
      const w = textWidth(label, 10) + 4;
      const body = [
        line(2, 9, Math.max(MARK_W, w + 12) - 2, 3),
        el('rect', { x: 6, y: 2, width: w, height: 14, rx: 2, fill: '#ffffff', 'fill-opacity': 0.9 }),
        text(6 + w / 2, 13, label, { 'font-size': 10, fill: INK, 'text-anchor': 'middle' }),
      ];
      return { svg: body.join(''), width: Math.max(MARK_W, w + 12), height: 18 };
    }
    case 'weak-edge':
      return {
        svg: line(2, 8, MARK_W - 2, 2, { 'stroke-dasharray': '6 4', 'stroke-opacity': 0.45 }),
        width: MARK_W,
        height: 16,
      };
    case 'ghost-edge':
      return {
        svg: line(2, 8, MARK_W - 2, 1, { stroke: '#999999', 'stroke-dasharray': '3 3' }),
        width: MARK_W,
        height: 16,
      };
    case 'detour':
      return {
        svg: el('circle', {
          cx: 14,
          cy: 13,
          r: 11,
          fill: '#c9d3dd',
          stroke: DETOUR_COLOR,
          'stroke-width': 3,
          'stroke-dasharray': '5 3',
        }),
        width: MARK_W,
        height: 26,
      };
    case 'colour': {
      const shown = legend.states.slice(0, 6);
      const body = shown.map((s, i) => el('circle', { cx: 7 + i * 9, cy: 8, r: 6, fill: s.color, stroke: '#ffffff' }));
      return { svg: body.join(''), width: Math.max(MARK_W, 14 + 9 * shown.length), height: 16 };
    }
    case 'path':
      return {
        svg: [line(2, 5, MARK_W - 2, 3, { stroke: INK }), line(2, 13, MARK_W - 2, 3, { 'stroke-opacity': 0.25 })].join(
          '',
        ),
        width: MARK_W,
        height: 18,
      };
  }
}

/** A mark as a standalone SVG document (the page shows it as an image). */
export function legendMarkDocument(mark: LegendMark, legend: MapLegend, scale = 1): Drawn {
  const m = legendMark(mark, legend, scale);
  return {
    ...m,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(m.width)}" height="${Math.ceil(m.height)}" viewBox="0 0 ${Math.ceil(m.width)} ${Math.ceil(m.height)}" font-family="sans-serif">${m.svg}</svg>`,
  };
}

/** Title and summary sentence at the top of a figure. */
export function figureHeader(legend: MapLegend, x: number, y: number, width: number): Drawn {
  const titleLines = wrapText(legend.title, width, 16, true);
  const summaryLines = wrapText(legend.summary, width, 12);
  const parts: string[] = [];
  let yy = y + 18;
  for (const l of titleLines) {
    parts.push(text(x, yy, l, { 'font-size': 16, 'font-weight': 'bold', fill: INK }));
    yy += 20;
  }
  for (const l of summaryLines) {
    parts.push(text(x, yy, l, { 'font-size': 12, fill: '#3e4a56' }));
    yy += 16;
  }
  return { svg: parts.join(''), width, height: yy - y };
}

/**
 * The legend block: "How to read the map" (a mark and its words per entry, in two columns when there is room) and
 * the states (a swatch, the number and its plain words).
 */
export function legendBlock(legend: MapLegend, x: number, y: number, width: number, scale = 1): Drawn {
  const parts: string[] = [];
  parts.push(text(x, y + 13, 'How to read the map', { 'font-size': 12, 'font-weight': 'bold', fill: INK }));
  let top = y + 22;
  const columns = width >= 760 ? 2 : 1;
  const colW = (width - (columns - 1) * 24) / columns;
  const colY = new Array<number>(columns).fill(top);
  const marks = legend.entries.map((entry) => legendMark(entry.mark, legend, scale));
  const indent = Math.max(...marks.map((m) => m.width)) + 14;
  legend.entries.forEach((entry, i) => {
    const col = columns === 1 ? 0 : i < Math.ceil(legend.entries.length / 2) ? 0 : 1;
    const cx = x + col * (colW + 24);
    const mark = marks[i];
    const lines = wrapText(entry.text, colW - indent, 11);
    const textH = lines.length * 14;
    const h = Math.max(mark.height, textH) + 8;
    const cy = colY[col];
    parts.push(`<g transform="translate(${cx} ${cy + (h - 8 - mark.height) / 2})">${mark.svg}</g>`);
    lines.forEach((l, j) =>
      parts.push(text(cx + indent, cy + (h - 8 - textH) / 2 + 11 + 14 * j, l, { 'font-size': 11, fill: '#3e4a56' })),
    );
    colY[col] += h;
  });
  top = Math.max(...colY) + 6;
  parts.push(text(x, top + 13, 'The states', { 'font-size': 12, 'font-weight': 'bold', fill: INK }));
  top += 22;
  const keyW = 220;
  const perRow = Math.max(1, Math.floor(width / keyW));
  legend.states.forEach((s, i) => {
    const kx = x + (i % perRow) * keyW;
    const ky = top + Math.floor(i / perRow) * 22;
    parts.push(
      el('circle', {
        cx: kx + 9,
        cy: ky + 8,
        r: 8,
        fill: s.color,
        stroke: s.detour ? DETOUR_COLOR : '#ffffff',
        'stroke-width': s.detour ? 2 : 1,
        'stroke-dasharray': s.detour ? '3 2' : undefined,
      }),
    );
    parts.push(
      text(kx + 9, ky + 12, String(s.state), {
        'font-size': 10,
        'font-weight': 'bold',
        fill: '#ffffff',
        'text-anchor': 'middle',
      }),
    );
    const words = wrapText(`${s.detour ? 'detour · ' : ''}${s.words}`, keyW - 30, 11)[0] ?? '';
    parts.push(text(kx + 22, ky + 12, words, { 'font-size': 11, fill: s.detour ? DETOUR_COLOR : '#3e4a56' }));
  });
  const rows = Math.ceil(legend.states.length / perRow);
  return { svg: parts.join(''), width, height: top + rows * 22 - y };
}
