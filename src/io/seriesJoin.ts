/**
 * Runs from per-tag series, for the formats that log each metric on its own (TensorBoard's exports and event files,
 * W&B chart exports): a run's checkpoints are the steps at which every one of its columns has a value; the rows of a
 * column at other steps are left out and counted, never dropped silently.
 */
import { BundleError } from './bundleError.ts';
import { aliasesFor, type Rename } from './metricAliases.ts';
import { naturalCompare } from './csvRecords.ts';
import { newCheckpoints, type Run } from './runBundle.ts';
import { quoted } from './safeText.ts';

/** Step → value. */
export type Series = Map<number, number>;

/** Columns of one run: column name → its series and the file it came from. */
export type RunSeries = Map<string, { file: string; series: Series }>;

export interface JoinedRuns {
  runs: Run[];
  /** Rows left out because another column of the same run has no value at their step. */
  dropped: { run: string; column: string; rows: number }[];
  /** Runs whose columns share no step. */
  bad: { run: string; error: BundleError }[];
}

/** The seed in a run name like seed3 or lr0.1_seed-3, or null. */
export function seedInName(name: string): number | null {
  const m = /seed[_-]?(\d+)/i.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * Joins each run's columns on their common steps; runs in natural order of their names (seed2 before seed10), or in
 * the order given (W&B's, the order of the chart's legend); columns in natural order.
 */
export function joinRunSeries(
  byRun: ReadonlyMap<string, RunSeries>,
  order: 'natural' | 'given' = 'natural',
): JoinedRuns {
  const out: JoinedRuns = { runs: [], dropped: [], bad: [] };
  const names = [...byRun.keys()];
  for (const run of order === 'natural' ? names.sort(naturalCompare) : names) {
    const columns = [...byRun.get(run)!].sort((a, b) => naturalCompare(a[0], b[0]));
    const all = columns.map(([, c]) => c.series);
    const steps = [...all[0].keys()].filter((s) => all.every((x) => x.has(s))).sort((a, b) => a - b);
    if (steps.length === 0) {
      const names = [...byRun.get(run)!.keys()];
      out.bad.push({
        run,
        error: new BundleError(
          byRun.get(run)!.values().next().value!.file,
          null,
          null,
          `run ${quoted(run)}: its tags (${names.join(', ')}) share no step, so no checkpoint has every value`,
        ),
      });
      continue;
    }
    const checkpoints = newCheckpoints();
    checkpoints.step = steps;
    for (const [column, c] of columns) {
      checkpoints[column] = steps.map((s) => c.series.get(s)!);
      if (c.series.size > steps.length) out.dropped.push({ run, column, rows: c.series.size - steps.length });
    }
    out.runs.push({ id: run, seed: seedInName(run), checkpoints });
  }
  return out;
}

/** One sentence per run and column with rows left out by the join. */
export function describeDropped(dropped: JoinedRuns['dropped'], what: 'tag' | 'metric'): string[] {
  return dropped.map(
    (d) =>
      `run ${d.run}: ${d.rows} row${d.rows > 1 ? 's' : ''} of '${d.column}' left out (steps some other ${what} of the run did not log)`,
  );
}

/**
 * Renames the columns of every run by the alias tables (metricAliases.ts, over the names of all runs together) and
 * joins them. A run where a rename lands on a column it already has (or on `step`) is left out with why.
 */
export function renameAndJoin(
  byRun: ReadonlyMap<string, RunSeries>,
  order: 'natural' | 'given' = 'natural',
): JoinedRuns & { renames: Rename[] } {
  const renames = aliasesFor([...new Set([...byRun.values()].flatMap((m) => [...m.keys()]))]);
  const to = new Map(renames.map((r) => [r.from, r.to]));
  const renamed = new Map<string, RunSeries>();
  const bad: JoinedRuns['bad'] = [];
  for (const [run, columns] of byRun) {
    const out: RunSeries = new Map();
    for (const [name, c] of columns) {
      const column = to.get(name) ?? name;
      const other = [...columns.keys()].find((o) => o !== name && (to.get(o) ?? o) === column);
      if (column === 'step' || other !== undefined) {
        bad.push({
          run,
          error: new BundleError(
            c.file,
            null,
            null,
            `run ${quoted(run)}: ${quoted(name)} would become column '${column}', which ${other !== undefined ? `${quoted(other)} also becomes` : 'the steps fill'}`,
          ),
        });
        break;
      }
      out.set(column, c);
    }
    if (out.size === columns.size) renamed.set(run, out);
  }
  const joined = joinRunSeries(renamed, order);
  return { ...joined, bad: [...bad, ...joined.bad], renames };
}
