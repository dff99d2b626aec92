/**
 * Weights & Biases chart exports: a line plot's "Export CSV" (its menu: Export → CSV). The shape, as checked against
 * W&B's documentation of line-plot point aggregation (docs.wandb.ai, models/app/features/panels/line-plot/sampling),
 * wandb/wandb issue #5349 (the `__MIN`/`__MAX` companions) and scripts in public repositories that read such exports:
 *
 *   "Step","<run> - <metric>","<run> - <metric>__MIN","<run> - <metric>__MAX", …
 *
 * The first column is the chart's x-axis (`Step` unless the chart was switched to another axis). Then, for every run
 * drawn and every metric, the value column and its bucket range. A cell is empty where the run logged nothing at that
 * step. Runs have display names that may themselves hold " - ": the metric is what follows the last " - ".
 *
 * The export is what the chart drew, not the run's history: W&B thins a line to at most 1500 points by random sampling,
 * or (full-fidelity aggregation, its default) to one point per x-axis bucket — the bucket's last value, its minimum and
 * maximum in the companions. `sampling` says what the file shows of that.
 */
import { BundleError } from './bundleError.ts';
import { csvRecordsOf, parseNumberCell, stem } from './csvRecords.ts';
import type { Rename } from './metricAliases.ts';
import { RUN_BUNDLE_FORMAT, type RunBundle } from './runBundle.ts';
import { quoted, quotedList } from './safeText.ts';
import { renameAndJoin, type JoinedRuns, type RunSeries, type Series } from './seriesJoin.ts';

const COMPANION = /__(MIN|MAX)$/;
/** W&B's random sampling returns at most this many points per line. */
export const WANDB_SAMPLE_LIMIT = 1500;

/** Whether a CSV header is a W&B chart export (with or without its Step column). */
export function isWandbHeader(header: readonly string[]): boolean {
  const companions = header.filter((h) => COMPANION.test(h));
  return companions.some((c) => header.includes(c.replace(COMPANION, '')));
}

export interface WandbExport {
  /** run → metric → series (steps as W&B exported them). */
  runs: Map<string, RunSeries>;
  /** How many __MIN/__MAX columns were dropped. */
  companions: number;
  rows: number;
  sampling: {
    /** Rows whose companions differ from the value: each stands for a bucket of several logged steps. */
    bucketRows: number;
    /** Lines with exactly WANDB_SAMPLE_LIMIT points: the random-sampling limit was reached. */
    atLimit: string[];
    /** Whether the Step column's spacing varies. */
    uneven: boolean;
  };
  /** Runs left out: the first cell of theirs that is not a number. */
  bad: { run: string; error: BundleError }[];
}

/** Splits `<run> - <metric>`; a column without " - " belongs to the file's single run. */
function runAndMetric(column: string, file: string): { run: string; metric: string } {
  const at = column.lastIndexOf(' - ');
  return at < 0 ? { run: stem(file), metric: column } : { run: column.slice(0, at), metric: column.slice(at + 3) };
}

export function readWandbExport(text: string, file: string): WandbExport {
  const records = csvRecordsOf(text, file);
  const first = records.next();
  if (first.done) throw new BundleError(file, null, null, 'the file is empty');
  const header = first.value.cells.map((c) => c.trim());
  const headerLine = first.value.line;
  if (header[0] !== 'Step') {
    const axis = header[0] && !COMPANION.test(header[0]) && !header.includes(`${header[0]}__MIN`) ? header[0] : null;
    throw new BundleError(
      file,
      headerLine,
      1,
      axis
        ? `a W&B chart export whose x-axis is ${quoted(axis)}, not 'Step': checkpoints need steps; set the chart's x-axis to Step and export again`
        : `a W&B chart export without its 'Step' column (the first column of an export is the x-axis); export the chart again with Step on the x-axis`,
    );
  }
  const value: { j: number; run: string; metric: string; min?: number; max?: number }[] = [];
  const byName = new Map<string, (typeof value)[number]>();
  header.forEach((h, j) => {
    if (j === 0 || COMPANION.test(h)) return;
    const col = { j, ...runAndMetric(h, file) };
    if (byName.has(h))
      throw new BundleError(file, headerLine, j + 1, `column ${quoted(h)} appears twice in the header`);
    byName.set(h, col);
    value.push(col);
  });
  let companions = 0;
  header.forEach((h, j) => {
    const m = COMPANION.exec(h);
    if (!m) return;
    const of = byName.get(h.replace(COMPANION, ''));
    if (!of)
      throw new BundleError(
        file,
        headerLine,
        j + 1,
        `${quoted(h)} has no value column ${quoted(h.replace(COMPANION, ''))}`,
      );
    of[m[1] === 'MIN' ? 'min' : 'max'] = j;
    companions++;
  });
  if (value.length === 0) throw new BundleError(file, headerLine, null, 'the header names no run and metric');
  const runs = new Map<string, RunSeries>();
  for (const c of value) {
    const metrics: RunSeries = runs.get(c.run) ?? new Map();
    if (metrics.has(c.metric))
      throw new BundleError(file, headerLine, c.j + 1, `run ${quoted(c.run)} has metric ${quoted(c.metric)} twice`);
    metrics.set(c.metric, { file, series: new Map() });
    runs.set(c.run, metrics);
  }
  const bad = new Map<string, BundleError>();
  const steps = new Map<number, number>();
  let bucketRows = 0;
  let rows = 0;
  for (const { line, cells } of records) {
    if (cells.length !== header.length)
      throw new BundleError(
        file,
        line,
        Math.min(cells.length, header.length) + 1,
        `${cells.length} cells but the header has ${header.length} columns`,
      );
    const step = parseNumberCell(cells[0]);
    if (step === null || !Number.isInteger(step) || step < 0)
      throw new BundleError(file, line, 1, `Step must be a non-negative whole number, got ${quoted(cells[0])}`);
    const again = steps.get(step);
    if (again !== undefined)
      throw new BundleError(file, line, 1, `Step ${step} appears twice (first on line ${again})`);
    steps.set(step, line);
    rows++;
    let bucket = false;
    for (const c of value) {
      if (cells[c.j].trim() === '' || bad.has(c.run)) continue;
      const v = parseNumberCell(cells[c.j]);
      if (v === null) {
        bad.set(
          c.run,
          new BundleError(
            file,
            line,
            c.j + 1,
            `${quoted(cells[c.j])} in column ${quoted(header[c.j])} is not a number`,
          ),
        );
        continue;
      }
      (runs.get(c.run)!.get(c.metric)!.series as Series).set(step, v);
      for (const k of [c.min, c.max]) {
        const w = k === undefined ? null : parseNumberCell(cells[k]);
        if (w !== null && !Number.isNaN(w) && Math.abs(w - v) > 1e-12 * Math.max(1, Math.abs(v))) bucket = true;
      }
    }
    if (bucket) bucketRows++;
  }
  if (rows === 0) throw new BundleError(file, null, null, 'the header is there but no rows follow');
  const ordered = [...steps.keys()].sort((a, b) => a - b);
  const gaps = new Set(ordered.slice(1).map((s, i) => s - ordered[i]));
  const atLimit: string[] = [];
  for (const c of value)
    if (runs.get(c.run)!.get(c.metric)!.series.size === WANDB_SAMPLE_LIMIT) atLimit.push(header[c.j]);
  for (const run of bad.keys()) runs.delete(run);
  return {
    runs,
    companions,
    rows,
    sampling: { bucketRows, atLimit, uneven: gaps.size > 1 },
    bad: [...bad].map(([run, error]) => ({ run, error })),
  };
}

/** What an export shows of W&B's thinning, in a sentence. */
export function describeSampling(file: string, w: WandbExport): string {
  const s = w.sampling;
  const evidence = [
    s.bucketRows
      ? `in ${s.bucketRows} of ${w.rows} rows a __MIN/__MAX differs from the value, so each such row stands for a bucket of logged steps (W&B's full-fidelity aggregation keeps the bucket's last value)`
      : '',
    s.atLimit.length
      ? `${quotedList(s.atLimit, 3)} ${s.atLimit.length > 1 ? 'have' : 'has'} exactly ${WANDB_SAMPLE_LIMIT} points, the limit of W&B's random sampling`
      : '',
    s.uneven ? 'the steps are unevenly spaced' : '',
  ].filter(Boolean);
  const how =
    "W&B exports the points its chart drew, not every logged step; for every step, export the run's history with W&B's API (run.scan_history())";
  return evidence.length
    ? `${file}: the steps are sampled: ${evidence.join('; ')}. ${how}`
    : `${file}: the steps may be sampled (nothing in the file shows it, and nothing can show that it was not): ${how}`;
}

export interface WandbImport {
  bundle: RunBundle;
  renames: Rename[];
  dropped: JoinedRuns['dropped'];
  bad: { run?: string; file: string; error: BundleError }[];
  /** One sentence per file on how its steps were sampled, and how many companions it had. */
  sampling: string[];
  companions: number;
}

/**
 * Several chart exports (one chart per metric, as W&B exports them) as one group: a run's metrics are gathered from
 * every file that draws it. A file that cannot be read is left out whole; a run with a bad cell, or with one metric in
 * two files, is left out.
 */
export function readWandbFiles(files: readonly { name: string; text: string }[], group: string): WandbImport {
  const byRun = new Map<string, RunSeries>();
  const bad = new Map<string, { run?: string; file: string; error: BundleError }>();
  const sampling: string[] = [];
  let companions = 0;
  for (const f of files) {
    let w: WandbExport;
    try {
      w = readWandbExport(f.text, f.name);
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
      bad.set(`file ${f.name}`, { file: f.name, error: e });
      continue;
    }
    companions += w.companions;
    sampling.push(describeSampling(f.name, w));
    for (const b of w.bad) bad.set(b.run, { run: b.run, file: f.name, error: b.error });
    for (const [run, metrics] of w.runs) {
      const have: RunSeries = byRun.get(run) ?? new Map();
      byRun.set(run, have);
      for (const [metric, s] of metrics) {
        const other = have.get(metric);
        if (other && !bad.has(run))
          bad.set(run, {
            run,
            file: f.name,
            error: new BundleError(
              f.name,
              null,
              null,
              `run ${quoted(run)} has metric ${quoted(metric)} here and in ${other.file}`,
            ),
          });
        have.set(metric, s);
      }
    }
  }
  for (const key of bad.keys()) byRun.delete(key);
  const joined = renameAndJoin(byRun, 'given');
  for (const b of joined.bad) bad.set(b.run, { run: b.run, file: b.error.file, error: b.error });
  const renames = joined.renames;
  return {
    bundle: {
      format: RUN_BUNDLE_FORMAT,
      groups: [{ name: group, config: { importedFrom: 'wandb-csv' }, runs: joined.runs }],
    },
    renames,
    dropped: joined.dropped,
    bad: [...bad.values()],
    sampling,
    companions,
  };
}
