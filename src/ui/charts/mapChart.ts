/**
 * The training map as an ECharts graph on a cartesian grid, drawn from the pixel layout the CLI figure shares
 * (src/render/mapLayout.ts): states sized by occupancy at their mean first visit, each numbered inside and named in
 * plain words beside it, arrows as wide as the runs taking them and as faint as their support is low, detours ringed,
 * a chosen run's path drawn over the rest. Labels sit in a layer of their own where the layout put them, so none
 * covers a state or another label.
 */
import type { AnalysisReport } from '../../analysis/index.ts';
import { edgeLabelText } from '../../explain/legend.ts';
import { describeStates, type StateDescription } from '../../explain/stateWords.ts';
import { edgeSupport } from '../../explain/support.ts';
import { safeText } from '../../io/safeText.ts';
import { edgeWidth, layoutMap, type LaidLabel, type MapLayout } from '../../render/mapLayout.ts';
import { chartLabel, type ChartLabel } from './chartText.ts';
import { colorOfState, DETOUR_COLOR, INK, MUTED } from './palette.ts';

export { measuredStability } from '../../explain/support.ts';

export interface MapView {
  /** Key of the run whose path is lit (AnalysisReport.runs[].key). */
  selectedRun?: string | null;
  /** The chart's size in pixels (the layout is made for it). */
  width?: number;
  height?: number;
  /** A small map beside others: no axis name, state words only where they fit. */
  compact?: boolean;
}

/** Room below the plot for the axis labels and the axis name. */
export const MAP_MARGIN = { left: 8, right: 8, top: 8, bottom: 44 };
/** A compact map's axis has labels and no name. */
const COMPACT_MARGIN = { left: 6, right: 6, top: 6, bottom: 26 };

const marginOf = (view: MapView) => (view.compact ? COMPACT_MARGIN : MAP_MARGIN);

export interface MapNodeDatum {
  id: string;
  name: string;
  value: [number, number];
  state: number;
  symbolSize: number;
  itemStyle: Record<string, unknown>;
  /** The state's number, inside its circle. */
  label: ChartLabel & Record<string, unknown>;
  detour: boolean;
  occupancy: number;
  runs: number;
  topFeatures: string;
  /** The state in plain words ("weights shrink: L2 norm ↓0.6 SD, …"). */
  words: string;
  /** Keys of the runs whose paths visit the state. */
  visitors: string[];
}

export interface MapLinkDatum {
  source: string;
  target: string;
  from: number;
  to: number;
  runs: number;
  probability: number;
  /** The arrow's label as drawn in the label layer ("36 · 100%"); not drawn by the graph itself. */
  label: ChartLabel & { show: false };
  /** What changes along the edge (the destination's top features), as text. */
  change: string;
  lineStyle: { width: number; color: string; opacity: number; curveness: number; type?: string };
  /** On the selected run's path. */
  onPath: boolean;
  /** Share of the fits whose map has this edge (undefined when stability was not measured). */
  support?: number;
}

/** One label of the label layer, centred where the layout placed it. */
export interface MapLabelDatum {
  /** `S3` for a state's words, `S1>S2` for an arrow's label. */
  id: string;
  value: [number, number];
  text: string;
  /** Its box on the chart, in pixels (for tests and hit checks). */
  box: { x: number; y: number; width: number; height: number };
  label: ChartLabel & Record<string, unknown>;
}

/** Consecutive distinct states of a path. */
function steps(path: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 1; t < path.length; t++) if (path[t] !== path[t - 1]) out.push([path[t - 1], path[t]]);
  return out;
}

/** A state's words as the map writes them, longest first: the layout takes the first that fits. */
export function stateLabelVariants(d: StateDescription | undefined, detour: boolean): string[][] {
  const words = d?.short ?? '';
  const cut = words.length > 16 ? `${words.slice(0, 15)}…` : words;
  if (detour) return [[`detour · ${words}`], [`detour · ${cut}`], ['detour']];
  return [[words], [cut]].filter((v) => v[0] !== '');
}

export function mapChartData(
  report: AnalysisReport,
  view: MapView = {},
): { nodes: MapNodeDatum[]; links: MapLinkDatum[]; labels: MapLabelDatum[]; layout: MapLayout } {
  const detours = new Set(report.detours);
  const words = new Map(describeStates(report).map((d) => [d.state, d]));
  const layout = layoutMap(report, {
    width: view.width ?? 720,
    height: view.height ?? 340,
    margin: marginOf(view),
    nodeLabels: (s) => stateLabelVariants(words.get(s), detours.has(s)),
    edgeLabels: (e) => [[edgeLabelText(e.runs, edgeSupport(report, e.from, e.to))]],
  });
  const { plot, xDomain } = layout;
  const toData = (x: number, y: number): [number, number] => [
    xDomain[0] + ((x - plot.x) / plot.width) * (xDomain[1] - xDomain[0]),
    y - plot.y,
  ];
  const selected = view.selectedRun ? report.runs.find((r) => r.key === view.selectedRun) : undefined;
  const pathEdges = new Set((selected?.path ? steps(selected.path) : []).map(([a, b]) => `${a}>${b}`));
  const pathStates = new Set(selected?.path ?? []);
  const maxRuns = Math.max(1, ...report.map.edges.map((e) => e.runs));
  const labels: MapLabelDatum[] = [];
  const nodes: MapNodeDatum[] = layout.nodes.map((p) => {
    const node = report.map.nodes[p.state];
    const detour = detours.has(p.state);
    const dim = Boolean(selected && !pathStates.has(p.state));
    if (p.label) labels.push(labelDatum(`S${p.state}`, p.label, toData, dim ? MUTED : detour ? DETOUR_COLOR : INK));
    return {
      id: `S${p.state}`,
      name: `state ${p.state}`,
      value: toData(p.cx, p.cy),
      state: p.state,
      symbolSize: 2 * p.r,
      itemStyle: {
        color: colorOfState(report, p.state),
        opacity: dim ? 0.3 : 1,
        borderColor: detour ? DETOUR_COLOR : '#ffffff',
        borderWidth: detour ? 4 : 1.5,
        borderType: detour ? 'dashed' : 'solid',
      },
      label: {
        ...chartLabel(String(p.state)),
        position: 'inside',
        fontSize: Math.min(12, Math.max(9, p.r * 0.9)),
        fontWeight: 'bold',
        color: '#ffffff',
        textBorderColor: 'rgba(0,0,0,0.35)',
        textBorderWidth: 2,
      },
      detour,
      occupancy: node.occupancy,
      runs: node.runs,
      topFeatures: node.label,
      words: words.get(p.state)?.text ?? '',
      visitors: report.runs.filter((r) => r.path?.includes(p.state)).map((r) => r.key),
    };
  });
  const curveness = new Map(layout.edges.map((e) => [`${e.from}>${e.to}`, e]));
  const links: MapLinkDatum[] = report.map.edges.map((e) => {
    const onPath = pathEdges.has(`${e.from}>${e.to}`);
    const support = edgeSupport(report, e.from, e.to);
    const laid = curveness.get(`${e.from}>${e.to}`);
    if (laid?.label)
      labels.push(labelDatum(`S${e.from}>S${e.to}`, laid.label, toData, selected && !onPath ? MUTED : INK, 0.85));
    return {
      source: `S${e.from}`,
      target: `S${e.to}`,
      from: e.from,
      to: e.to,
      runs: e.runs,
      probability: e.probability,
      label: { ...chartLabel(edgeLabelText(e.runs, support)), show: false },
      change: safeText(e.label, 160),
      lineStyle: {
        width: edgeWidth(e.runs, maxRuns),
        color: onPath ? INK : MUTED,
        // Edges few fits agree on are drawn faint and dashed.
        opacity: selected ? (onPath ? 1 : 0.25) : support === undefined ? 0.85 : 0.3 + 0.6 * support,
        ...(support !== undefined && support < 0.5 ? { type: 'dashed' } : {}),
        curveness: laid?.curveness ?? 0.08,
      },
      onPath,
      ...(support !== undefined ? { support } : {}),
    };
  });
  return { nodes, links, labels, layout };
}

function labelDatum(
  id: string,
  laid: LaidLabel,
  toData: (x: number, y: number) => [number, number],
  color: string,
  background = 0.9,
): MapLabelDatum {
  const r = laid.rect;
  const text = laid.lines.join('\n');
  return {
    id,
    value: toData(r.x + r.width / 2, r.y + r.height / 2),
    text,
    box: { ...r },
    label: {
      ...chartLabel(text),
      position: 'inside',
      align: 'center',
      verticalAlign: 'middle',
      fontSize: laid.fontSize,
      lineHeight: laid.lineHeight,
      color,
      backgroundColor: `rgba(255,255,255,${background})`,
      padding: [1, 2],
      borderRadius: 2,
    },
  };
}

/** The ECharts option for the map panel. */
export function mapChartOption(report: AnalysisReport, view: MapView = {}): Record<string, unknown> {
  const { nodes, links, labels, layout } = mapChartData(report, view);
  return {
    animationDurationUpdate: 300,
    grid: { ...marginOf(view) },
    xAxis: {
      type: 'value',
      min: layout.xDomain[0],
      max: layout.xDomain[1],
      name: view.compact ? '' : 'mean first visit (checkpoint)',
      nameLocation: 'middle',
      nameGap: 26,
      splitLine: { show: false },
      axisLine: { onZero: false },
      axisLabel: { showMinLabel: false, showMaxLabel: false, hideOverlap: true },
    },
    yAxis: { type: 'value', min: 0, max: layout.plot.height, inverse: true, show: false },
    tooltip: { trigger: 'item', confine: true, formatter: mapTooltip },
    series: [
      {
        type: 'graph',
        coordinateSystem: 'cartesian2d',
        data: nodes,
        links,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 9,
        emphasis: { focus: 'adjacency', lineStyle: { width: 6 } },
        lineStyle: { opacity: 0.85 },
      },
      {
        type: 'scatter',
        name: 'labels',
        silent: true,
        tooltip: { show: false },
        symbolSize: 0,
        itemStyle: { opacity: 1 },
        z: 5,
        data: labels.map((l) => ({ value: l.value, label: l.label })),
      },
    ],
  };
}

/** Hovering a state: its words, top features and runs; hovering an edge: what changes along it. */
export function mapTooltip(p: { dataType?: string; data?: unknown }): string {
  if (p.dataType === 'node') {
    const n = p.data as MapNodeDatum;
    const runs =
      n.visitors.length > 12
        ? `${n.visitors.slice(0, 12).join(', ')} and ${n.visitors.length - 12} more`
        : n.visitors.join(', ');
    return [
      `<b>state ${n.state}</b>${n.detour ? ' — detour' : ''}`,
      ...(n.words ? [escapeHtml(n.words)] : []),
      `occupancy ${(100 * n.occupancy).toFixed(1)}% · ${n.runs} runs`,
      `most important features: ${escapeHtml(safeText(n.topFeatures, 200))}`,
      `runs: ${escapeHtml(runs)}`,
    ].join('<br>');
  }
  if (p.dataType === 'edge') {
    const e = p.data as MapLinkDatum;
    const sup = e.support === undefined ? '' : `<br>in ${Math.round(100 * e.support)}% of the fits`;
    return `<b>${e.from} → ${e.to}</b><br>${e.runs} runs · p ${e.probability.toFixed(3)}<br>${escapeHtml(e.change)}${sup}`;
  }
  return '';
}

function escapeHtml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}
