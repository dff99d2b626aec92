/** A column of every run against its step, each segment coloured by the state the run was in at that checkpoint. */
import type { AnalysisReport } from '../../analysis/index.ts';
import type { RunBundle } from '../../io/runBundle.ts';
import { colorOfState, stateColor } from './palette.ts';

export interface CurveSeries {
  key: string;
  points: [number, number, number][];
  /** A state's colour, by its identity in the report the series came from. */
  colorOf?: (state: number) => string;
}

/** [step, value, state] per checkpoint of every included run that has the column; NaN values are left out. */
export function curveSeries(bundle: RunBundle, report: AnalysisReport, column: string): CurveSeries[] {
  const multi = bundle.groups.length > 1;
  const byKey = new Map(
    bundle.groups.flatMap((g) => g.runs.map((run) => [multi ? `${g.name}/${run.id}` : run.id, run] as const)),
  );
  return report.runs
    .filter((r) => r.included && r.path)
    .flatMap((r) => {
      const run = byKey.get(r.key);
      const values = run && Object.hasOwn(run.checkpoints, column) ? run.checkpoints[column] : undefined;
      if (!run || !values) return [];
      const points: [number, number, number][] = [];
      // The decoded path covers the checkpoints analyzed; later rows (arrived since) carry the last state.
      for (let t = 0; t < values.length; t++) {
        if (Number.isFinite(values[t]))
          points.push([run.checkpoints.step[t], values[t], r.path![Math.min(t, r.path!.length - 1)]]);
      }
      return [{ key: r.key, points, colorOf: (state: number) => colorOfState(report, state) }];
    });
}

/** A run's points split where its state changes; neighbouring segments share their end point so the line is unbroken. */
export function stateSegments(
  points: readonly [number, number, number][],
): { state: number; points: [number, number][] }[] {
  const out: { state: number; points: [number, number][] }[] = [];
  for (let i = 0; i < points.length; i++) {
    const [x, y, state] = points[i];
    const last = out[out.length - 1];
    if (!last || last.state !== state) {
      if (last) last.points.push([x, y]);
      out.push({ state, points: [[x, y]] });
    } else last.points.push([x, y]);
  }
  return out;
}

/** Data of one series per state: every run's stretches in that state, runs apart by gaps; [step, value, run index]. */
export function stateSeriesData(series: readonly CurveSeries[]): Map<number, (number | null)[][]> {
  const byState = new Map<number, (number | null)[][]>();
  series.forEach((s, run) => {
    for (const seg of stateSegments(s.points)) {
      const data = byState.get(seg.state) ?? [];
      if (data.length) data.push([null, null, run]);
      for (const [x, y] of seg.points) data.push([x, y, run]);
      byState.set(seg.state, data);
    }
  });
  return byState;
}

/**
 * One line series per state (not per run): the chart stays a handful of series however many runs train, so a
 * redraw is cheap on the page's thread. The selected run is drawn once more on top, thick.
 */
export function curvesChartOption(
  bundle: RunBundle,
  report: AnalysisReport,
  column: string,
  selectedRun: string | null = null,
  log = false,
): Record<string, unknown> {
  return curvesOptionOf(curveSeries(bundle, report, column), column, selectedRun, log);
}

/** The same option from series already built (the panel keeps them to map clicks back to runs). */
export function curvesOptionOf(
  series: readonly CurveSeries[],
  column: string,
  selectedRun: string | null = null,
  log = false,
): Record<string, unknown> {
  const positive = series.every((s) => s.points.every((p) => p[1] > 0));
  const byState = stateSeriesData(series);
  const selected = series.find((s) => s.key === selectedRun);
  const states = [...byState.keys()].sort((a, b) => a - b);
  const colorOf = series[0]?.colorOf ?? stateColor;
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 24, bottom: 36 },
    title: { text: column, left: 'center', top: 0, textStyle: { fontSize: 12, fontWeight: 'normal' } },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: log && positive ? 'log' : 'value', scale: true },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { data?: unknown[] }) => curveTooltip(series, column, p.data),
    },
    series: [
      ...states.map((state) => ({
        type: 'line',
        name: `state ${state}`,
        data: byState.get(state),
        connectNulls: false,
        showSymbol: false,
        color: colorOf(state),
        lineStyle: { width: 1.2, opacity: selected ? 0.15 : 0.8 },
        emphasis: { disabled: true },
      })),
      ...(selected
        ? stateSegments(selected.points).map((seg) => ({
            type: 'line',
            name: selected.key,
            data: seg.points.map(([x, y]) => [x, y, series.indexOf(selected)]),
            showSymbol: false,
            color: colorOf(seg.state),
            lineStyle: { width: 3, opacity: 1 },
            z: 5,
          }))
        : []),
    ],
  };
}

/** The run a clicked point belongs to (the third value of every point). */
export function runOfPoint(series: readonly CurveSeries[], data: unknown): string | null {
  const run = Array.isArray(data) ? data[2] : undefined;
  return typeof run === 'number' && series[run] ? series[run].key : null;
}

function curveTooltip(series: readonly CurveSeries[], column: string, data: unknown[] | undefined): string {
  const key = runOfPoint(series, data);
  if (!key || !data) return '';
  const esc = (t: string) => t.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `${esc(key)}<br>step ${data[0]}: ${esc(column)} ${typeof data[1] === 'number' ? data[1].toPrecision(4) : ''}`;
}
