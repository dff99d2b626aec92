/**
 * Where everything on the training map goes, in pixels, for the page's chart and the CLI figure alike: each visited
 * state at its mean first visit (x) in the lane that keeps it clear of the others and of their arrows, each arrow bent
 * around the states it would cross, and every label where it covers no state and no other label.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { LabelField, rectAround, type Circle, type Point, type Rect } from './labelPlacement.ts';
import { textBox } from './textMeasure.ts';

export interface MapLayoutOptions {
  width: number;
  height: number;
  /** Space around the plot (the page keeps room for its axis below). */
  margin?: { left: number; right: number; top: number; bottom: number };
  /** A state's label, as variants to try in order (each a list of lines), longest first. */
  nodeLabels?: (state: number) => string[][];
  /** An arrow's label, as variants to try in order (each a list of lines). */
  edgeLabels?: (edge: { from: number; to: number; runs: number }) => string[][];
  /** Arrows drawn besides the map's own (other fits' edges in the figure), with their one-line labels. */
  extraEdges?: readonly { from: number; to: number; text: string }[];
  nodeFont?: number;
  edgeFont?: number;
}

export interface LaidLabel {
  lines: string[];
  /** The label's box; text is centred in it. */
  rect: Rect;
  fontSize: number;
  lineHeight: number;
}

export interface LaidNode {
  state: number;
  firstVisit: number;
  cx: number;
  cy: number;
  r: number;
  label: LaidLabel | null;
}

export interface LaidEdge {
  from: number;
  to: number;
  runs: number;
  /** ECharts' curveness: the control point sits `curveness` × the edge's length off its middle. */
  curveness: number;
  start: Point;
  control: Point;
  end: Point;
  extra: boolean;
  label: LaidLabel | null;
}

export interface MapLayout {
  width: number;
  height: number;
  plot: Rect;
  /** Mean first visit (checkpoints) at the plot's left and right edges. */
  xDomain: [number, number];
  nodes: LaidNode[];
  edges: LaidEdge[];
  /** The nodes' size scale (the legend draws its examples at it). */
  scale: number;
  /** Labels left out for want of a clean spot: a state's number, or `from>to` for an arrow. */
  hidden: string[];
}

/** Node diameter by occupancy (area grows with it), never below what holds the state's number. */
export function nodeDiameter(occupancy: number, scale = 1): number {
  return Math.max(18, (18 + 46 * Math.sqrt(Math.max(0, occupancy))) * scale);
}

/** How much nodes shrink on a small chart (full size from 700 × 200 pixels of plot). */
export const nodeScale = (plotWidth: number, plotHeight: number): number =>
  Math.max(0.55, Math.min(1, plotWidth / 700, plotHeight / 200));

/** Arrow width by the runs taking it, relative to the busiest arrow. */
export const edgeWidth = (runs: number, maxRuns: number): number => 1 + 7 * (runs / Math.max(1, maxRuns));

/** ECharts' control point for a curved edge (echarts/lib/chart/graph/simpleLayoutHelper). */
export function controlPoint(a: Point, b: Point, curveness: number): Point {
  return { x: (a.x + b.x) / 2 - (a.y - b.y) * curveness, y: (a.y + b.y) / 2 - (b.x - a.x) * curveness };
}

export function curvePoint(a: Point, c: Point, b: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y };
}

function curveNormal(a: Point, c: Point, b: Point, t: number): Point {
  const dx = 2 * (1 - t) * (c.x - a.x) + 2 * t * (b.x - c.x);
  const dy = 2 * (1 - t) * (c.y - a.y) + 2 * t * (b.y - c.y);
  const len = Math.hypot(dx, dy) || 1;
  return { x: -dy / len, y: dx / len };
}

const samples = (a: Point, c: Point, b: Point, n = 25): Point[] =>
  Array.from({ length: n }, (_, i) => curvePoint(a, c, b, (i + 0.5) / n));

function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

/** Horizontal room (pixels) neighbours in one lane leave between their circles: an arrow label's width. */
const SAME_LANE_ROOM = 60;

/** The first spots around a state (the candidates after them lie further out). */
const NEAR_SPOTS = 12;

/** Lanes from the middle outwards, upper first: 0, −1, +1, −2, +2, … */
const LANE_ORDER = [0, -1, 1, -2, 2, -3, 3, -4, 4];

export function layoutMap(report: AnalysisReport, options: MapLayoutOptions): MapLayout {
  const { width, height } = options;
  const m = options.margin ?? { left: 8, right: 8, top: 8, bottom: 8 };
  const plot: Rect = { x: m.left, y: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom };
  const scale = nodeScale(plot.width, plot.height);
  const { nodes, xDomain } = placeNodes(report, plot, scale);
  const { edges, texts } = bendEdges(report, nodes, options);
  const hidden = placeLabels(nodes, edges, texts, options, {
    x: 2,
    y: 2,
    width: width - 4,
    height: plot.y + plot.height - 2,
  });
  return { width, height, plot, xDomain, nodes, edges, scale, hidden };
}

/**
 * Each visited state at its mean first visit, in the lane (from the middle outwards) that keeps it clear of the states
 * placed before it, keeps arrows from running through states, and stays near the state most runs arrive from.
 */
function placeNodes(
  report: AnalysisReport,
  plot: Rect,
  scale: number,
): { nodes: LaidNode[]; xDomain: [number, number] } {
  const visited = report.map.nodes
    .filter((n) => n.runs > 0)
    .sort((a, b) => a.meanFirstVisit - b.meanFirstVisit || a.state - b.state);
  const radius = new Map(visited.map((n) => [n.state, nodeDiameter(n.occupancy, scale) / 2]));
  const rMax = Math.max(9, ...radius.values());
  const span = Math.max(1, ...visited.map((n) => n.meanFirstVisit));
  const padX = rMax + 6;
  const innerW = Math.max(1, plot.width - 2 * padX);
  const px = (fv: number) => plot.x + padX + (fv / span) * innerW;
  const xDomain: [number, number] = [(-padX / innerW) * span, ((plot.width - padX) / innerW) * span];
  const mid = plot.y + plot.height / 2;
  const laneGap = Math.max(2 * rMax * 0.8, Math.min(80, plot.height / 5));
  const edges = report.map.edges;
  const placed: LaidNode[] = [];
  const at = new Map<number, LaidNode>();
  for (const n of visited) {
    const r = radius.get(n.state)!;
    const cx = px(n.meanFirstVisit);
    const lanes = LANE_ORDER.map((l) => mid + l * laneGap).filter(
      (cy) => cy - r >= plot.y + 2 && cy + r <= plot.y + plot.height - 2,
    );
    if (lanes.length === 0) lanes.push(mid);
    const feeder = edges
      .filter((e) => e.to === n.state && at.has(e.from))
      .reduce<(typeof edges)[number] | null>((a, e) => (a && a.runs >= e.runs ? a : e), null);
    let best = { cy: lanes[0], cost: Infinity };
    lanes.forEach((cy, order) => {
      const me = { x: cx, y: cy };
      let cost = order * 3;
      for (const p of placed) {
        const need = p.r + r + 10;
        const d = Math.hypot(p.cx - cx, p.cy - cy);
        if (d < need) cost += 1000 * (1 - d / need);
        // Neighbours in one lane keep room between them for an arrow's label, else they stagger.
        const room = p.r + r + SAME_LANE_ROOM;
        if (p.cy === cy && Math.abs(p.cx - cx) < room) cost += 50 * (1 - Math.abs(p.cx - cx) / room);
      }
      // Arrows between this state and those placed must not run through a third state, nor theirs through this one.
      for (const e of edges) {
        const other = e.from === n.state ? at.get(e.to) : e.to === n.state ? at.get(e.from) : undefined;
        if (other)
          for (const q of placed)
            if (q !== other && segmentDistance({ x: q.cx, y: q.cy }, me, { x: other.cx, y: other.cy }) < q.r + 4)
              cost += 100;
        const a = at.get(e.from);
        const b = at.get(e.to);
        if (a && b && segmentDistance(me, { x: a.cx, y: a.cy }, { x: b.cx, y: b.cy }) < r + 4) cost += 100;
      }
      if (feeder) cost += (2 * Math.abs(cy - at.get(feeder.from)!.cy)) / laneGap;
      if (cost < best.cost) best = { cy, cost };
    });
    const node: LaidNode = { state: n.state, firstVisit: n.meanFirstVisit, cx, cy: best.cy, r, label: null };
    placed.push(node);
    at.set(n.state, node);
  }
  // The lanes used are centred in the plot, so a map that took the upper lanes does not leave the lower half empty.
  if (placed.length) {
    const top = Math.min(...placed.map((p) => p.cy - p.r));
    const bottom = Math.max(...placed.map((p) => p.cy + p.r));
    const shift = mid - (top + bottom) / 2;
    for (const p of placed) p.cy += shift;
  }
  return { nodes: placed, xDomain };
}

/** Each arrow with the flattest curveness that keeps it off the states between its ends. */
function bendEdges(
  report: AnalysisReport,
  placed: readonly LaidNode[],
  options: MapLayoutOptions,
): { edges: LaidEdge[]; texts: Map<LaidEdge, string[][]> } {
  const at = new Map(placed.map((n) => [n.state, n]));
  const laid: LaidEdge[] = [];
  const texts = new Map<LaidEdge, string[][]>();
  const all = [
    ...report.map.edges.map((e) => ({
      from: e.from,
      to: e.to,
      runs: e.runs,
      extra: false,
      variants: options.edgeLabels?.(e),
    })),
    ...(options.extraEdges ?? []).map((e) => ({ from: e.from, to: e.to, runs: 0, extra: true, variants: [[e.text]] })),
  ];
  for (const e of all) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    const paired = all.some((o) => o.from === e.to && o.to === e.from);
    const pairDone = laid.find((o) => o.from === e.to && o.to === e.from);
    const start = { x: a.cx, y: a.cy };
    const end = { x: b.cx, y: b.cy };
    // Both arrows of a pair take the same curveness: ECharts then bends them to opposite sides.
    const choices = pairDone
      ? [pairDone.curveness]
      : paired
        ? [0.22, -0.22, 0.35, -0.35, 0.5, -0.5]
        : [e.extra ? 0.3 : 0.08, -0.08, 0.2, -0.2, 0.35, -0.35, 0.5, -0.5];
    let best = { c: choices[0], cost: Infinity };
    for (const c of choices) {
      const ctrl = controlPoint(start, end, c);
      let cost = Math.abs(c) * 10;
      for (const q of placed) {
        if (q === a || q === b) continue;
        if (samples(start, ctrl, end).some((p) => Math.hypot(p.x - q.cx, p.y - q.cy) < q.r + 3)) cost += 100;
      }
      if (cost < best.cost) best = { c, cost };
    }
    const edge: LaidEdge = {
      from: e.from,
      to: e.to,
      runs: e.runs,
      curveness: best.c,
      start,
      control: controlPoint(start, end, best.c),
      end,
      extra: e.extra,
      label: null,
    };
    laid.push(edge);
    if (e.variants?.length) texts.set(edge, e.variants);
  }
  return { edges: laid, texts };
}

/**
 * Arrow labels first (busiest arrows first: they have the fewest good spots, all near their curve), then the states'
 * labels. A label with no clean spot is left out (the tooltip and the legend still say it) rather than drawn over
 * another; the labels left out are returned.
 */
function placeLabels(
  placed: LaidNode[],
  laid: LaidEdge[],
  texts: Map<LaidEdge, string[][]>,
  options: MapLayoutOptions,
  bounds: Rect,
): string[] {
  const circles: Circle[] = placed.map((p) => ({ cx: p.cx, cy: p.cy, r: p.r }));
  const field = new LabelField(bounds, circles);
  for (const e of laid) field.addLine(samples(e.start, e.control, e.end), `${e.from}>${e.to}`);
  const hidden: string[] = [];
  const edgeFont = options.edgeFont ?? 10;
  const edgeLine = Math.round(edgeFont * 1.3);
  const byImportance = [...laid].sort((a, b) => Number(a.extra) - Number(b.extra) || b.runs - a.runs);
  for (const e of byImportance) {
    for (const lines of texts.get(e) ?? []) {
      const box = textBox(lines, edgeFont, edgeLine);
      const pick = field.choose(edgeCandidates(e, box.width + 4, box.height + 2), `${e.from}>${e.to}`);
      if (!pick.clean) continue;
      field.keep(pick.rect);
      e.label = { lines, rect: pick.rect, fontSize: edgeFont, lineHeight: edgeLine };
      break;
    }
    if (texts.has(e) && !e.label) hidden.push(`${e.from}>${e.to}`);
  }
  const nodeFont = options.nodeFont ?? 11;
  const nodeLine = Math.round(nodeFont * 1.3);
  for (const n of placed) {
    const variants = options.nodeLabels?.(n.state) ?? [];
    // A shorter text beside the state reads better than the full text further away: near spots first, for every text.
    for (const near of [true, false]) {
      for (const lines of variants) {
        const box = textBox(lines, nodeFont, nodeLine);
        const spots = nodeCandidates(n, box.width + 4, box.height + 2);
        const pick = field.choose(near ? spots.slice(0, NEAR_SPOTS) : spots);
        if (!pick.clean) continue;
        field.keep(pick.rect);
        n.label = { lines, rect: pick.rect, fontSize: nodeFont, lineHeight: nodeLine };
        break;
      }
      if (n.label) break;
    }
    if (variants.length && !n.label) hidden.push(String(n.state));
  }
  return hidden;
}

function nodeCandidates(n: LaidNode, w: number, h: number): Rect[] {
  const d = 4;
  const { cx, cy, r } = n;
  const diag = r * 0.72;
  const below = cy + r + d + h / 2;
  const above = cy - r - d - h / 2;
  const centres: Point[] = [
    { x: cx, y: below },
    { x: cx, y: above },
    { x: cx + r + d + w / 2, y: cy },
    { x: cx - r - d - w / 2, y: cy },
    { x: cx + diag + w / 2, y: cy + diag + h / 2 },
    { x: cx - diag - w / 2, y: cy + diag + h / 2 },
    { x: cx + diag + w / 2, y: cy - diag - h / 2 },
    { x: cx - diag - w / 2, y: cy - diag - h / 2 },
    { x: cx + w / 3, y: below },
    { x: cx - w / 3, y: below },
    { x: cx + w / 3, y: above },
    { x: cx - w / 3, y: above },
    { x: cx, y: below + h + 4 },
    { x: cx, y: above - h - 4 },
    { x: cx + w / 2, y: below + h + 4 },
    { x: cx - w / 2, y: below + h + 4 },
    { x: cx + w / 2, y: above - h - 4 },
    { x: cx - w / 2, y: above - h - 4 },
  ];
  return centres.map((c) => rectAround(c, w, h));
}

function edgeCandidates(e: LaidEdge, w: number, h: number): Rect[] {
  const out: Rect[] = [];
  for (const t of [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82])
    for (const k of [0, 1, -1, 2, -2]) {
      const p = curvePoint(e.start, e.control, e.end, t);
      const nrm = curveNormal(e.start, e.control, e.end, t);
      const off = k * (Math.abs(nrm.x) * (w / 2 + 3) + Math.abs(nrm.y) * (h / 2 + 3));
      out.push(rectAround({ x: p.x + nrm.x * off, y: p.y + nrm.y * off }, w, h));
    }
  return out;
}
