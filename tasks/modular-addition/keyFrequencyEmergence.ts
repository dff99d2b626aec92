/**
 * When each run's key frequencies emerged, and in which state of the map (issue #16 §6): a run's key frequencies are
 * those of its last checkpoint (fourier.ts); they have emerged at the first checkpoint from which on they hold more
 * than half of the embedding's spectrum (KEY_FREQUENCY_MASS) at every later checkpoint. The state is the run's
 * decoded state there. Reads the Fourier columns of the bundle and the paths of the report; nothing else.
 */
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { column, type Run, type RunBundle } from '../../src/io/runBundle.ts';
import { frequencyColumn, KEY_FREQUENCY_MASS, keyFrequencies, shareOf } from './fourier.ts';

export interface RunEmergence {
  key: string;
  /** The key frequencies at the last checkpoint, largest first (empty: none stood out). */
  keys: number[];
  /** Share of the spectrum they hold at the last checkpoint. */
  finalShare: number;
  /** Checkpoint index and step from which on they held more than KEY_FREQUENCY_MASS (null: not by the end). */
  checkpoint: number | null;
  step: number | null;
  /** The decoded state at that checkpoint (null: not emerged, or the run is not in the map). */
  state: number | null;
}

export interface EmergenceSummary {
  runs: RunEmergence[];
  /** State → runs whose key frequencies emerged there, most first. */
  byState: { state: number; runs: number }[];
  /** The state where most runs' key frequencies emerged (null: none emerged). */
  typicalState: number | null;
}

/** The frequencies whose spectrum columns a run holds: fourier_1 … fourier_K, K from the columns themselves. */
export function spectrumColumns(run: Run): string[] {
  const out: string[] = [];
  for (let k = 1; column(run.checkpoints, frequencyColumn(k)); k++) out.push(frequencyColumn(k));
  return out;
}

export function runEmergence(run: Run, key: string, path: readonly number[] | undefined): RunEmergence | null {
  const columns = spectrumColumns(run).map((c) => column(run.checkpoints, c)!);
  const n = run.checkpoints.step.length;
  if (columns.length === 0 || n === 0) return null;
  const shareAt = (t: number) => Float64Array.from(columns, (values) => values[t]);
  const keys = keyFrequencies(shareAt(n - 1));
  const held = (t: number) => shareOf(shareAt(t), keys);
  let from: number | null = null;
  for (let t = n - 1; t >= 0 && keys.length > 0 && held(t) > KEY_FREQUENCY_MASS; t--) from = t;
  const state = from !== null && path && path.length > 0 ? path[Math.min(from, path.length - 1)] : null;
  return {
    key,
    keys,
    finalShare: keys.length ? held(n - 1) : 0,
    checkpoint: from,
    step: from === null ? null : run.checkpoints.step[from],
    state,
  };
}

/** Every run of the report that has Fourier columns; runs the analysis left out still count, without a state. */
export function keyFrequencyEmergence(bundle: RunBundle, report: AnalysisReport): EmergenceSummary {
  const multi = bundle.groups.length > 1;
  const paths = new Map(report.runs.map((r) => [r.key, r.included ? r.path : undefined]));
  const runs = bundle.groups.flatMap((g) =>
    g.runs.flatMap((run) => {
      const key = multi ? `${g.name}/${run.id}` : run.id;
      const e = runEmergence(run, key, paths.get(key));
      return e ? [e] : [];
    }),
  );
  const counts = new Map<number, number>();
  for (const r of runs) if (r.state !== null) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  const byState = [...counts]
    .map(([state, n]) => ({ state, runs: n }))
    .sort((a, b) => b.runs - a.runs || a.state - b.state);
  return { runs, byState, typicalState: byState[0]?.state ?? null };
}

/** One sentence for the lab: where the key frequencies emerge. */
export function emergenceSentence(s: EmergenceSummary): string {
  const emerged = s.runs.filter((r) => r.checkpoint !== null).length;
  if (s.runs.length === 0) return 'These runs have no Fourier columns (modular addition trained here records them).';
  if (emerged === 0)
    return `No run's key frequencies hold most of its embedding's spectrum yet (${s.runs.length} runs).`;
  const top = s.byState[0];
  const where = top ? ` — in state ${top.state} for ${top.runs} of them` : '';
  return `The key frequencies emerged in ${emerged} of ${s.runs.length} runs${where}.`;
}

/**
 * The first step at which any run has its Fourier columns, when runs have checkpoints before it (a recording
 * trained before the columns existed and resumed after): where the key frequencies emerged cannot be told from such
 * a recording, since missing values count as "not held". Null when the columns start with the runs (or are absent).
 */
export function fourierRecordedLate(bundle: RunBundle): number | null {
  let firstStep = Infinity;
  let firstFourier = Infinity;
  for (const g of bundle.groups)
    for (const run of g.runs) {
      const values = column(run.checkpoints, 'fourier_top5');
      if (!values) continue;
      const steps = run.checkpoints.step;
      if (steps.length) firstStep = Math.min(firstStep, steps[0]);
      const t = values.findIndex((v) => Number.isFinite(v));
      if (t >= 0) firstFourier = Math.min(firstFourier, steps[t]);
    }
  return Number.isFinite(firstFourier) && firstFourier > firstStep ? firstFourier : null;
}
