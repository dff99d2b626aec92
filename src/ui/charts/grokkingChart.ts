/**
 * The grokking picture (issue #16 §5): every run's train and eval accuracy on one chart against the step (log scale
 * available), coloured by the state the run was in, with each run's memorization step (train accuracy ≥ 0.99) and
 * generalization step (eval accuracy ≥ the threshold) marked, and the grokking gap between them per run. Sparse
 * parity draws the same way: its curves sit on the plateau near chance together, then rise.
 */
import type { AnalysisReport } from '../../analysis/index.ts';
import { median } from '../../numeric/stats.ts';
import { column, type RunBundle } from '../../io/runBundle.ts';
import { MEMORIZATION_THRESHOLD, runMilestones, type RunMilestones } from '../../classroom/milestones.ts';
import { stateSeriesData, type CurveSeries } from './curvesChart.ts';
import { INK, MUTED, stateColor } from './palette.ts';

export interface GrokkingRun {
  key: string;
  train: CurveSeries['points'];
  eval: CurveSeries['points'];
  milestones: RunMilestones;
  /** The first step at which eval accuracy stood PLATEAU_RISE above its first checkpoint's (null: it never did). */
  plateauEnd: number | null;
}

/** How far above its first value eval accuracy must climb for a run to have left its plateau (sparse parity: chance). */
export const PLATEAU_RISE = 0.1;

/** [step, accuracy, state] of train and eval accuracy for every included run, with its milestones. */
export function grokkingRuns(bundle: RunBundle, report: AnalysisReport, threshold: number): GrokkingRun[] {
  const multi = bundle.groups.length > 1;
  const byKey = new Map(
    bundle.groups.flatMap((g) =>
      g.runs.map((run) => [multi ? `${g.name}/${run.id}` : run.id, { run, group: g.name }] as const),
    ),
  );
  return report.runs
    .filter((r) => r.included && r.path && r.path.length > 0)
    .flatMap((r) => {
      const found = byKey.get(r.key);
      if (!found) return [];
      const { run, group } = found;
      const path = r.path!;
      const points = (name: string) => {
        const values = column(run.checkpoints, name) ?? [];
        const out: [number, number, number][] = [];
        // Rows that arrived after the analysis carry the last decoded state, as in the curves chart.
        for (let t = 0; t < values.length; t++)
          if (Number.isFinite(values[t]))
            out.push([run.checkpoints.step[t], values[t], path[Math.min(t, path.length - 1)]]);
        return out;
      };
      const evaluation = points('eval_acc');
      return [
        {
          key: r.key,
          train: points('train_acc'),
          eval: evaluation,
          milestones: runMilestones(run, group, threshold),
          plateauEnd: evaluation.length
            ? (evaluation.find((p) => p[1] >= evaluation[0][1] + PLATEAU_RISE)?.[0] ?? null)
            : null,
        },
      ];
    });
}

export interface GrokkingSummary {
  runs: number;
  /** Runs that reached train accuracy ≥ 0.99 while eval accuracy was below 0.5. */
  memorizedFirst: number;
  generalized: number;
  /** Median grokking gap in steps over the runs that did both (null: none). */
  medianGap: number | null;
  /** Median step at which runs left their plateau (null: none did). */
  medianPlateauEnd: number | null;
}

export function grokkingSummary(runs: readonly GrokkingRun[]): GrokkingSummary {
  const gaps = runs.flatMap((r) => (r.milestones.gapSteps === null ? [] : [r.milestones.gapSteps]));
  const plateaus = runs.flatMap((r) => (r.plateauEnd === null ? [] : [r.plateauEnd]));
  return {
    runs: runs.length,
    memorizedFirst: runs.filter((r) => r.milestones.evalAtMemorized !== null && r.milestones.evalAtMemorized < 0.5)
      .length,
    generalized: runs.filter((r) => r.milestones.generalized !== null).length,
    medianGap: gaps.length ? median(gaps) : null,
    medianPlateauEnd: plateaus.length ? median(plateaus) : null,
  };
}

/** The per-run table beside the chart: memorization, generalization and the gap, the longest gaps first. */
export function grokkingGapRows(runs: readonly GrokkingRun[]): {
  key: string;
  memorized: number | null;
  generalized: number | null;
  gap: number | null;
}[] {
  return runs
    .map((r) => ({
      key: r.key,
      memorized: r.milestones.memorized,
      generalized: r.milestones.generalized,
      gap: r.milestones.gapSteps,
    }))
    .sort((a, b) => (b.gap ?? -Infinity) - (a.gap ?? -Infinity) || a.key.localeCompare(b.key));
}

export interface GrokkingChartOptions {
  threshold: number;
  log?: boolean;
  selectedRun?: string | null;
}

/**
 * Two line series per state (train dashed, eval solid) rather than two per run, so the chart stays a handful of
 * series however many runs train; the milestones are two scatter series, the thresholds two marked lines.
 */
export function grokkingChartOption(
  runs: readonly GrokkingRun[],
  { threshold, log = false, selectedRun = null }: GrokkingChartOptions,
): Record<string, unknown> {
  // A log axis cannot place step 0.
  const visible = (points: CurveSeries['points']) => (log ? points.filter((p) => p[0] > 0) : [...points]);
  const train = stateSeriesData(runs.map((r) => ({ key: r.key, points: visible(r.train) })));
  const evaluation = stateSeriesData(runs.map((r) => ({ key: r.key, points: visible(r.eval) })));
  const states = [...new Set([...train.keys(), ...evaluation.keys()])].sort((a, b) => a - b);
  const selected = runs.findIndex((r) => r.key === selectedRun);
  const fade = selected >= 0 ? 0.15 : 0.75;
  const mark = (pick: (r: GrokkingRun) => [number | null, number | null]) =>
    runs.flatMap((r, i) => {
      const [x, y] = pick(r);
      return x === null || y === null || (log && x <= 0) ? [] : [[x, y, i]];
    });
  const line = (split: 'train' | 'eval', state: number, data: (number | null)[][]) => ({
    type: 'line',
    name: `${split} · state ${state}`,
    data,
    connectNulls: false,
    showSymbol: false,
    color: stateColor(state),
    lineStyle: { width: 1.2, opacity: fade, type: split === 'train' ? 'dashed' : 'solid' },
    emphasis: { disabled: true },
  });
  const accuracyAt = (points: CurveSeries['points'], step: number | null) =>
    step === null ? null : (points.find((p) => p[0] === step)?.[1] ?? null);
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 28, bottom: 40 },
    legend: { show: false },
    xAxis: {
      type: log ? 'log' : 'value',
      name: log ? 'step (log scale)' : 'step',
      nameLocation: 'middle',
      nameGap: 24,
      min: log ? undefined : 0,
    },
    yAxis: { type: 'value', min: 0, max: 1, name: 'accuracy' },
    tooltip: { trigger: 'item', confine: true, formatter: (p: { data?: unknown[] }) => grokkingTooltip(runs, p.data) },
    series: [
      ...states.flatMap((s) => [
        ...(train.has(s) ? [line('train', s, train.get(s)!)] : []),
        ...(evaluation.has(s) ? [line('eval', s, evaluation.get(s)!)] : []),
      ]),
      ...(selected >= 0
        ? (['train', 'eval'] as const).map((split) => ({
            type: 'line',
            name: `${runs[selected].key} ${split}`,
            data: visible(runs[selected][split]).map(([x, y]) => [x, y, selected]),
            showSymbol: false,
            color: INK,
            lineStyle: { width: 2.5, type: split === 'train' ? 'dashed' : 'solid' },
            z: 5,
          }))
        : []),
      {
        type: 'scatter',
        name: 'memorized (train ≥ 0.99)',
        symbol: 'triangle',
        symbolSize: 7,
        color: MUTED,
        data: mark((r) => [r.milestones.memorized, accuracyAt(r.train, r.milestones.memorized)]),
        z: 6,
      },
      {
        type: 'scatter',
        name: `generalized (eval ≥ ${threshold})`,
        symbol: 'circle',
        symbolSize: 7,
        color: INK,
        data: mark((r) => [r.milestones.generalized, accuracyAt(r.eval, r.milestones.generalized)]),
        z: 6,
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: MUTED, type: 'dotted' },
          label: { formatter: '{b}', position: 'insideEndTop', fontSize: 10 },
          data: [
            { name: `memorized ${MEMORIZATION_THRESHOLD}`, yAxis: MEMORIZATION_THRESHOLD },
            { name: `generalized ${threshold}`, yAxis: threshold },
          ],
        },
      },
    ],
  };
}

/** The run a clicked point belongs to (the third value of every point). */
export function runOfGrokkingPoint(runs: readonly GrokkingRun[], data: unknown): string | null {
  const i = Array.isArray(data) ? data[2] : undefined;
  return typeof i === 'number' && runs[i] ? runs[i].key : null;
}

function grokkingTooltip(runs: readonly GrokkingRun[], data: unknown[] | undefined): string {
  const key = runOfGrokkingPoint(runs, data);
  if (!key || !data) return '';
  const r = runs.find((x) => x.key === key)!;
  const esc = (t: string) => t.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const m = r.milestones;
  const gap = m.gapSteps === null ? '' : `<br>grokking gap ${m.gapSteps} steps`;
  return (
    `${esc(key)}<br>step ${data[0]}: accuracy ${typeof data[1] === 'number' ? data[1].toFixed(3) : ''}` +
    `<br>memorized ${m.memorized ?? '–'}, generalized ${m.generalized ?? '–'}${gap}`
  );
}
