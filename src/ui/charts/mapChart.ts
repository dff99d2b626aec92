/**
 * The training map as an ECharts graph on a cartesian grid: states sized by occupancy and placed left to right by
 * mean first visit, edges weighted by the runs that take them (and by their support across restarts when the
 * analysis measured it), detour states ringed, a chosen run's path drawn over the rest.
 */
import type { AnalysisReport } from '../../analysis/index.ts';
import { safeText } from '../../io/safeText.ts';
import { chartLabel, type ChartLabel } from './chartText.ts';
import { placeStates } from './mapLayout.ts';
import { DETOUR_COLOR, INK, MUTED, stateColor } from './palette.ts';

export interface MapView {
  /** Key of the run whose path is lit (AnalysisReport.runs[].key). */
  selectedRun?: string | null;
}

export interface MapNodeDatum {
  id: string;
  name: string;
  value: [number, number];
  state: number;
  symbolSize: number;
  itemStyle: Record<string, unknown>;
  label: ChartLabel & Record<string, unknown>;
  detour: boolean;
  occupancy: number;
  runs: number;
  topFeatures: string;
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
  label: ChartLabel & { fontSize: number; color: string };
  emphasis: { label: ChartLabel };
  /** What changes along the edge (the destination's top features), as text. */
  change: string;
  lineStyle: { width: number; color: string; opacity: number; curveness: number; type?: string };
  /** On the selected run's path. */
  onPath: boolean;
  /** Share of comparable restarts whose map has this edge (undefined when stability was not measured). */
  support?: number;
}

/** The stability part of a report, when it was measured. */
export function measuredStability(report: AnalysisReport) {
  const st = report.stability;
  return st && !('skipped' in st) ? st : null;
}

/** Consecutive distinct states of a path. */
function steps(path: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 1; t < path.length; t++) if (path[t] !== path[t - 1]) out.push([path[t - 1], path[t]]);
  return out;
}

export function mapChartData(
  report: AnalysisReport,
  view: MapView = {},
): { nodes: MapNodeDatum[]; links: MapLinkDatum[]; xMax: number } {
  const placed = placeStates(report);
  const detours = new Set(report.detours);
  const selected = view.selectedRun ? report.runs.find((r) => r.key === view.selectedRun) : undefined;
  const pathEdges = new Set((selected?.path ? steps(selected.path) : []).map(([a, b]) => `${a}>${b}`));
  const pathStates = new Set(selected?.path ?? []);
  const maxRuns = Math.max(1, ...report.map.edges.map((e) => e.runs));
  const nodes: MapNodeDatum[] = placed.map((p) => {
    const node = report.map.nodes[p.state];
    const detour = detours.has(p.state);
    const dim = selected && !pathStates.has(p.state);
    return {
      id: `S${p.state}`,
      name: `state ${p.state}`,
      value: [p.x, p.lane],
      state: p.state,
      symbolSize: p.size,
      itemStyle: {
        color: stateColor(p.state),
        opacity: dim ? 0.3 : 1,
        borderColor: detour ? DETOUR_COLOR : '#ffffff',
        borderWidth: detour ? 4 : 1.5,
        borderType: detour ? 'dashed' : 'solid',
      },
      label: {
        position: 'bottom',
        distance: 6,
        ...chartLabel(
          `${p.state}${detour ? ' (detour)' : ''}\n${node.topFeatures.map((f) => safeText(f.feature, 40)).join(', ')}`,
        ),
        fontSize: 11,
        color: detour ? DETOUR_COLOR : INK,
        lineHeight: 14,
      },
      detour,
      occupancy: node.occupancy,
      runs: node.runs,
      topFeatures: node.label,
      visitors: report.runs.filter((r) => r.path?.includes(p.state)).map((r) => r.key),
    };
  });
  const stability = measuredStability(report);
  const links: MapLinkDatum[] = report.map.edges.map((e) => {
    const onPath = pathEdges.has(`${e.from}>${e.to}`);
    const support = stability?.edges.find((x) => x.from === e.from && x.to === e.to)?.support;
    const supportText = support === undefined ? '' : ` · ${Math.round(100 * support)}%`;
    const reverse = report.map.edges.some((o) => o.from === e.to && o.to === e.from);
    return {
      source: `S${e.from}`,
      target: `S${e.to}`,
      from: e.from,
      to: e.to,
      runs: e.runs,
      probability: e.probability,
      // The run count stays on the edge; what changes along it shows on hover and in the transitions table.
      label: { ...chartLabel(`${e.runs}${supportText}`), fontSize: 10, color: selected && !onPath ? MUTED : INK },
      emphasis: {
        label: {
          ...chartLabel(
            `${e.from}→${e.to}: ${e.runs} run${e.runs === 1 ? '' : 's'}, p ${e.probability.toFixed(2)} · ${safeText(e.label, 160)}`,
          ),
        },
      },
      change: safeText(e.label, 160),
      lineStyle: {
        width: 1 + 7 * (e.runs / maxRuns),
        color: onPath ? INK : MUTED,
        // Edges few comparable restarts agree on are drawn faint and dashed.
        opacity: selected ? (onPath ? 1 : 0.25) : support === undefined ? 0.85 : 0.3 + 0.6 * support,
        ...(support !== undefined && support < 0.5 ? { type: 'dashed' } : {}),
        // Opposite edges bend apart so j→k and k→j stay readable.
        curveness: reverse ? 0.25 : 0.08,
      },
      onPath,
      ...(support !== undefined ? { support } : {}),
    };
  });
  return { nodes, links, xMax: Math.max(1, ...placed.map((p) => p.x)) };
}

/** The ECharts option for the map panel. */
export function mapChartOption(report: AnalysisReport, view: MapView = {}): Record<string, unknown> {
  const { nodes, links, xMax } = mapChartData(report, view);
  return {
    animationDurationUpdate: 300,
    grid: { left: 40, right: 60, top: 30, bottom: 60 },
    xAxis: {
      type: 'value',
      min: -0.06 * xMax,
      max: 1.08 * xMax,
      name: 'mean first visit (checkpoint)',
      nameLocation: 'middle',
      nameGap: 28,
      splitLine: { show: false },
      axisLabel: { showMinLabel: false, showMaxLabel: false },
    },
    yAxis: { type: 'value', min: -2.6, max: 2.6, show: false },
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
    ],
  };
}

/** Hovering a state: its top features and its runs; hovering an edge: what changes along it. */
export function mapTooltip(p: { dataType?: string; data?: unknown }): string {
  if (p.dataType === 'node') {
    const n = p.data as MapNodeDatum;
    const runs =
      n.visitors.length > 12
        ? `${n.visitors.slice(0, 12).join(', ')} and ${n.visitors.length - 12} more`
        : n.visitors.join(', ');
    return [
      `<b>state ${n.state}</b>${n.detour ? ' — detour' : ''}`,
      `occupancy ${(100 * n.occupancy).toFixed(1)}% · ${n.runs} runs`,
      `most important features: ${escapeHtml(safeText(n.topFeatures, 200))}`,
      `runs: ${escapeHtml(runs)}`,
    ].join('<br>');
  }
  if (p.dataType === 'edge') {
    const e = p.data as MapLinkDatum;
    const sup = e.support === undefined ? '' : `<br>in ${Math.round(100 * e.support)}% of comparable restarts`;
    return `<b>${e.from} → ${e.to}</b><br>${e.runs} runs · p ${e.probability.toFixed(3)}<br>${escapeHtml(e.change)}${sup}`;
  }
  return '';
}

function escapeHtml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}
