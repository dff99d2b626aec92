import { describe, expect, it } from 'vitest';
import type { AnalysisReport, RunSummary } from '../../src/analysis/index.ts';
import type { RunBundle } from '../../src/io/index.ts';
import {
  grokkingChartOption,
  grokkingGapRows,
  grokkingRuns,
  grokkingSummary,
  runOfGrokkingPoint,
} from '../../src/ui/charts/grokkingChart.ts';
import { stateColor } from '../../src/ui/charts/palette.ts';
import { sparseParitySample } from './sampleReport.ts';

/** Two grokking runs and one that never generalizes, with decoded paths: state 0 early, 1 memorized, 2 generalized. */
function grokking(): { bundle: RunBundle; report: AnalysisReport } {
  const step = [10, 20, 30, 40, 50, 60];
  const runs = [
    { id: 'seed-0', train: [0.3, 0.995, 1, 1, 1, 1], eval: [0.05, 0.2, 0.3, 0.95, 1, 1], path: [0, 1, 1, 2, 2, 2] },
    {
      id: 'seed-1',
      train: [0.2, 0.6, 0.99, 1, 1, 1],
      eval: [0.02, 0.1, 0.25, 0.4, 0.5, 0.92],
      path: [0, 0, 1, 1, 1, 2],
    },
    { id: 'seed-2', train: [0.1, 0.5, 0.9, 1, 1, 1], eval: [0.01, 0.05, 0.1, 0.2, 0.3, NaN], path: [0, 0, 0, 1, 1, 1] },
  ];
  const bundle: RunBundle = {
    format: 'trainmap.runs/1',
    groups: [
      {
        name: 'g',
        config: {},
        runs: runs.map((r, i) => ({
          id: r.id,
          seed: i,
          checkpoints: { step, train_acc: r.train, eval_acc: r.eval, epoch: step.map((s) => s / 10) },
        })),
      },
    ],
  };
  const summaries = runs.map(
    (r) => ({ key: r.id, group: 'g', id: r.id, seed: 0, checkpoints: 6, included: true, path: r.path }) as RunSummary,
  );
  summaries.push({ key: 'gone', group: 'g', id: 'gone', seed: null, checkpoints: 0, included: false });
  return { bundle, report: { runs: summaries } as unknown as AnalysisReport };
}

describe('grokking chart: data shaping', () => {
  const { bundle, report } = grokking();
  const runs = grokkingRuns(bundle, report, 0.9);

  it('every included run’s train and eval accuracy as [step, accuracy, state], NaN left out', () => {
    expect(runs.map((r) => r.key)).toEqual(['seed-0', 'seed-1', 'seed-2']);
    expect(runs[0].train[1]).toEqual([20, 0.995, 1]);
    expect(runs[1].eval.at(-1)).toEqual([60, 0.92, 2]);
    expect(runs[2].eval).toHaveLength(5);
  });

  it('memorization (train ≥ 0.99), generalization (eval ≥ threshold) and the gap per run', () => {
    expect(runs.map((r) => [r.milestones.memorized, r.milestones.generalized, r.milestones.gapSteps])).toEqual([
      [20, 40, 20],
      [30, 60, 30],
      [40, null, null],
    ]);
    expect(runs[0].milestones).toMatchObject({ memorizedEpoch: 2, generalizedEpoch: 4, evalAtMemorized: 0.2 });
    expect(grokkingSummary(runs)).toEqual({
      runs: 3,
      memorizedFirst: 3,
      generalized: 2,
      medianGap: 25,
      medianPlateauEnd: 30,
    });
    expect(grokkingGapRows(runs)).toEqual([
      { key: 'seed-1', memorized: 30, generalized: 60, gap: 30 },
      { key: 'seed-0', memorized: 20, generalized: 40, gap: 20 },
      { key: 'seed-2', memorized: 40, generalized: null, gap: null },
    ]);
  });

  it('option: train dashed and eval solid per state, milestones marked, both thresholds drawn', () => {
    const option = grokkingChartOption(runs, { threshold: 0.9 }) as {
      series: { type: string; name: string; color: string; lineStyle?: { type: string }; data: unknown[][] }[];
      xAxis: { type: string };
      yAxis: { min: number; max: number };
    };
    expect(option.xAxis.type).toBe('value');
    expect(option.yAxis).toMatchObject({ min: 0, max: 1 });
    const lines = option.series.filter((s) => s.type === 'line');
    expect(lines.map((s) => s.name)).toEqual([
      'train · state 0',
      'eval · state 0',
      'train · state 1',
      'eval · state 1',
      'train · state 2',
      'eval · state 2',
    ]);
    expect(lines[2].color).toBe(stateColor(1));
    expect(lines[0].lineStyle!.type).toBe('dashed');
    expect(lines[1].lineStyle!.type).toBe('solid');
    const [memorized, generalized] = option.series.filter((s) => s.type === 'scatter');
    expect(memorized.data).toEqual([
      [20, 0.995, 0],
      [30, 0.99, 1],
      [40, 1, 2],
    ]);
    expect(generalized.data).toEqual([
      [40, 0.95, 0],
      [60, 0.92, 1],
    ]);
    expect(runOfGrokkingPoint(runs, generalized.data[1])).toBe('seed-1');
    const marks = (generalized as unknown as { markLine: { data: { yAxis: number }[] } }).markLine.data;
    expect(marks.map((m) => m.yAxis)).toEqual([0.99, 0.9]);
  });

  it('log scale drops step 0 (a log axis cannot place it); a selected run is drawn on top', () => {
    const withZero = runs.map((r) => ({ ...r, train: [[0, 0.01, 0] as [number, number, number], ...r.train] }));
    const option = grokkingChartOption(withZero, { threshold: 0.9, log: true, selectedRun: 'seed-1' }) as {
      series: { name: string; data: (number | null)[][]; z?: number }[];
      xAxis: { type: string };
    };
    expect(option.xAxis.type).toBe('log');
    for (const s of option.series) for (const p of s.data) expect(p[0] === null || (p[0] as number) > 0).toBe(true);
    const top = option.series.filter((s) => s.z === 5).map((s) => s.name);
    expect(top).toEqual(['seed-1 train', 'seed-1 eval']);
  });

  it('sparse parity: the same chart, eval accuracy on its plateau at chance long after train accuracy rose', () => {
    const sample = sparseParitySample();
    const parity = grokkingRuns(sample.bundle, sample.report, 0.9);
    // The bundled 40-seed run: a third memorize while eval accuracy is still at chance (0.5), all generalize.
    expect(grokkingSummary(parity)).toEqual({
      runs: 40,
      memorizedFirst: 12,
      generalized: 40,
      medianGap: 2480,
      medianPlateauEnd: 1792,
    });
    for (const r of parity) expect(Math.abs(r.eval[0][1] - 0.5)).toBeLessThan(0.15);
  });
});
