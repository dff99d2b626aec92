/**
 * The boxes of the text in a server-rendered ECharts SVG (or our own figures): every <text> element's position,
 * anchor, baseline, font size and transform, its width measured as src/render/textMeasure.ts measures (the wider of
 * the fonts the charts get), mapped to the page's coordinates. Enough to say whether two labels overlap.
 */
import { textWidth } from '../../src/render/textMeasure.ts';

export interface TextBox {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The product of two SVG matrices [a, b, c, d, e, f]: p applied after q. */
function mul(p: readonly number[], q: readonly number[]): number[] {
  return [
    p[0] * q[0] + p[2] * q[1],
    p[1] * q[0] + p[3] * q[1],
    p[0] * q[2] + p[2] * q[3],
    p[1] * q[2] + p[3] * q[3],
    p[0] * q[4] + p[2] * q[5] + p[4],
    p[1] * q[4] + p[3] * q[5] + p[5],
  ];
}

/** [a, b, c, d, e, f] of an SVG transform made of translate / matrix / rotate / scale parts (applied left to right). */
function parseTransform(t: string | undefined): number[] {
  let m = [1, 0, 0, 1, 0, 0];
  for (const [, fn, args] of (t ?? '').matchAll(/(\w+)\(([^)]*)\)/g)) {
    const v = args
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (fn === 'translate') m = mul(m, [1, 0, 0, 1, v[0], v[1] ?? 0]);
    else if (fn === 'matrix') m = mul(m, v);
    else if (fn === 'scale') m = mul(m, [v[0], 0, 0, v[1] ?? v[0], 0, 0]);
    else if (fn === 'rotate') {
      const a = (v[0] * Math.PI) / 180;
      m = mul(m, [Math.cos(a), Math.sin(a), -Math.sin(a), Math.cos(a), 0, 0]);
    } else throw new Error(`svgBoxes: transform ${fn} is not handled`);
  }
  return m;
}

/** Boxes of every non-empty <text> in the SVG, in the SVG's own coordinates (nested <g transform> included). */
export function textBoxes(svg: string): TextBox[] {
  const out: TextBox[] = [];
  const groups: number[][] = [[1, 0, 0, 1, 0, 0]];
  for (const match of svg.matchAll(/<g\b[^>]*>|<\/g>|<svg\b[^>]*>|<\/svg>|<text\b([^>]*)>([^<]*)<\/text>/g)) {
    const tag = match[0];
    if (tag.startsWith('</')) {
      groups.pop();
      continue;
    }
    if (tag.startsWith('<g') || tag.startsWith('<svg')) {
      const g = parseTransform(attr(tag, 'transform'));
      const nested = tag.startsWith('<svg')
        ? [1, 0, 0, 1, Number(attr(tag, 'x') ?? 0), Number(attr(tag, 'y') ?? 0)]
        : g;
      groups.push(mul(groups.at(-1)!, nested));
      continue;
    }
    const text = decode(match[2]);
    if (!text.trim()) continue;
    const style = attr(tag, 'style') ?? '';
    const size = Number(/font-size:\s*([\d.]+)px/.exec(style)?.[1] ?? attr(tag, 'font-size') ?? 12);
    const bold = /font-weight:\s*bold/.test(style) || attr(tag, 'font-weight') === 'bold';
    const w = textWidth(text, size, bold);
    const x = Number(attr(tag, 'x') ?? 0);
    const y = Number(attr(tag, 'y') ?? 0);
    const anchor = attr(tag, 'text-anchor') ?? 'start';
    const base = attr(tag, 'dominant-baseline') ?? 'alphabetic';
    const left = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x;
    const top = base === 'central' || base === 'middle' ? y - size / 2 : base === 'hanging' ? y : y - 0.8 * size;
    const own = parseTransform(attr(tag, 'transform'));
    const p = groups.at(-1)!;
    const corners = [
      [left, top],
      [left + w, top],
      [left, top + size],
      [left + w, top + size],
    ].map(([cx, cy]) => {
      const lx = own[0] * cx + own[2] * cy + own[4];
      const ly = own[1] * cx + own[3] * cy + own[5];
      return [p[0] * lx + p[2] * ly + p[4], p[1] * lx + p[3] * ly + p[5]];
    });
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    out.push({
      text,
      x: Math.min(...xs),
      y: Math.min(...ys),
      width: Math.max(...xs) - Math.min(...xs),
      height: Math.max(...ys) - Math.min(...ys),
    });
  }
  return out;
}

/** Pairs of boxes that overlap by more than `tolerance` pixels each way. */
export function overlappingPairs(boxes: readonly TextBox[], tolerance = 0.5): [TextBox, TextBox][] {
  const pairs: [TextBox, TextBox][] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > tolerance && h > tolerance) pairs.push([a, b]);
    }
  return pairs;
}

/** Texts that reach out of a width × height picture, as "text" strings. */
export function outside(boxes: readonly TextBox[], width: number, height: number): string[] {
  return boxes
    .filter((b) => b.x < -0.5 || b.y < -0.5 || b.x + b.width > width + 0.5 || b.y + b.height > height + 0.5)
    .map((b) => b.text);
}

/** Everything wrong with the text of a picture: pairs that overlap ("a / b") and texts that reach out of it. */
export function textProblems(boxes: readonly TextBox[], width: number, height: number): string[] {
  return [
    ...overlappingPairs(boxes).map(([a, b]) => `${a.text} / ${b.text}`),
    ...outside(boxes, width, height).map((t) => `${t} (outside)`),
  ];
}

/** Render an ECharts option to an SVG string on the server (no DOM). */
export async function renderSvg(option: Record<string, unknown>, width: number, height: number): Promise<string> {
  const { echarts } = await import('../../src/ui/charts/echarts.ts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
