/** A column of every run against its step, each segment coloured by the state the run was in at that checkpoint. */
import type { AnalysisReport } from '../../analysis/index.ts';
import type { RunBundle } from '../../io/runBundle.ts';
import { stateColor } from './palette.ts';

export interface CurveSeries {
  key: string;
  points: [number, number, number][];
}

/** [step, value, state] per checkpoint of every included run that has the column; NaN values are left out. */
export function curveSeries(bundle: RunBundle, report: AnalysisReport, column: string): CurveSeries[] {
  const multi = bundle.groups.length > 1;
  const byKey = new Map(bundle.groups.flatMap((g) => g.runs.map((run) => [multi ? `${g.name}/${run.id}` : run.id, run] as const)));
  return report.runs
    .filter((r) => r.included && r.path)
    .flatMap((r) => {
      const run = byKey.get(r.key);
      const values = run && Object.hasOwn(run.checkpoints, column) ? run.checkpoints[column] : undefined;
      if (!run || !values) return [];
      const points: [number, number, number][] = [];
      // The decoded path covers the checkpoints analyzed; later rows (arrived since) carry the last state.
      for (let t = 0; t < values.length; t++) {
        if (Number.isFinite(values[t])) points.push([run.checkpoints.step[t], values[t], r.path![Math.min(t, r.path!.length - 1)]]);
      }
      return [{ key: r.key, points }];
    });
}

/** A run's points split where its state changes; neighbouring segments share their end point so the line is unbroken. */
export function stateSegments(points: readonly [number, number, number][]): { state: number; points: [number, number][] }[] {
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

export function curvesChartOption(
  bundle: RunBundle,
  report: AnalysisReport,
  column: string,
  selectedRun: string | null = null,
  log = false,
): Record<string, unknown> {
  const series = curveSeries(bundle, report, column);
  const positive = series.every((s) => s.points.every((p) => p[1] > 0));
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 24, bottom: 36 },
    title: { text: column, left: 'center', top: 0, textStyle: { fontSize: 12, fontWeight: 'normal' } },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: log && positive ? 'log' : 'value', scale: true },
    tooltip: { trigger: 'item', confine: true },
    // One line per stretch of a run in one state, in that state's colour; a run's stretches share its name.
    series: series.flatMap((s) =>
      stateSegments(s.points).map((seg) => ({
        type: 'line',
        name: s.key,
        data: seg.points,
        showSymbol: false,
        color: stateColor(seg.state),
        lineStyle: { width: s.key === selectedRun ? 3 : 1.2, opacity: selectedRun && s.key !== selectedRun ? 0.15 : 0.85 },
        z: s.key === selectedRun ? 5 : 2,
        emphasis: { focus: 'series' },
      })),
    ),
  };
}
