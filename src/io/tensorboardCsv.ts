/**
 * TensorBoard's scalar CSV exports: one file per (run, tag) with the header `Wall time,Step,Value`, as
 * the scalar dashboard's download link and the `/data/plugin/scalars/scalars?…&format=csv` route write
 * them. TensorBoard names a download `run-<run>-tag-<tag>.csv` (slashes in the tag become underscores);
 * files may also sit in one folder per run, `<run>/<tag>.csv`. Each run's tags become columns, joined
 * on the step; tag names are mapped to ours where they are the authors' or ours.
 */
import { AUTHORS_COLUMNS } from './authorsCsv.ts';
import { BundleError } from './bundleError.ts';
import { baseName, csvRecordsOf, naturalCompare, parseNumberCell, relativeToCommonFolder } from './csvRecords.ts';
import { RUN_BUNDLE_FORMAT, type RunBundle } from './runBundle.ts';
import { joinRunSeries, type JoinedRuns, type RunSeries, type Series } from './seriesJoin.ts';

const HEADER = ['wall time', 'step', 'value'];

export function isTensorboardHeader(header: readonly string[]): boolean {
  return header.length === 3 && header.every((h, j) => h.trim().toLowerCase() === HEADER[j]);
}

/**
 * Run and tag of an export from its path below the imported folder (so a folder per run shows as
 * `<run>/<tag>.csv`), or a sentence saying why they cannot be told.
 */
export function runAndTag(path: string): { run: string; tag: string } | { error: string } {
  const name = baseName(path);
  const expected =
    "expected TensorBoard's download name run-<run>-tag-<tag>.csv, or <run>/<tag>.csv in a folder per run";
  const m = /^run[-_](.+)\.csv$/i.exec(name);
  if (m) {
    const parts = m[1].split('-tag-');
    if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { run: parts[0], tag: parts[1] };
    if (parts.length > 2)
      return {
        error: `'${name}' has '-tag-' more than once, so where the run name ends is ambiguous; rename it to run-<run>-tag-<tag>.csv with one '-tag-'`,
      };
  }
  const folders = path.split(/[\\/]/).filter(Boolean);
  if (folders.length >= 2 && /\.csv$/i.test(name))
    return { run: folders[folders.length - 2], tag: name.replace(/\.csv$/i, '') };
  return { error: `cannot tell the run and the tag from the file name '${name}': ${expected}` };
}

/** Our column for a tag: the authors' and our own names are mapped (eval_accuracy → eval_acc), others kept. */
export function columnForTag(tag: string): string {
  const flat = tag.replace(/[\\/]/g, '_');
  return Object.hasOwn(AUTHORS_COLUMNS, flat) ? AUTHORS_COLUMNS[flat] : flat;
}

export interface TensorboardImport {
  bundle: RunBundle;
  mapping: { from: string; to: string }[];
  runs: string[];
  tags: string[];
  /** Rows left out because another tag of the same run has no value at their step. */
  dropped: JoinedRuns['dropped'];
  /** Runs left out, each with the first problem among its files; files whose run cannot be told have no run. */
  bad: { run?: string; file: string; error: BundleError }[];
}

function parseSeries(text: string, file: string): Series {
  const records = csvRecordsOf(text, file);
  const first = records.next();
  if (first.done)
    throw new BundleError(
      file,
      null,
      null,
      'the file is empty; expected a TensorBoard scalar export with the header Wall time,Step,Value',
    );
  if (!isTensorboardHeader(first.value.cells)) {
    throw new BundleError(
      file,
      first.value.line,
      null,
      `expected the header Wall time,Step,Value of a TensorBoard scalar export, got '${first.value.cells.join(',')}'`,
    );
  }
  const series: Series = new Map();
  const lines = new Map<number, number>();
  for (const { line, cells } of records) {
    if (cells.length !== 3)
      throw new BundleError(
        file,
        line,
        Math.min(cells.length, 3) + 1,
        `${cells.length} cells; a TensorBoard export has 3 (Wall time,Step,Value)`,
      );
    const wall = parseNumberCell(cells[0]);
    if (wall === null) throw new BundleError(file, line, 1, `'${cells[0]}' in column 'Wall time' is not a number`);
    const step = parseNumberCell(cells[1]);
    if (step === null || !Number.isInteger(step) || step < 0)
      throw new BundleError(file, line, 2, `step must be a non-negative whole number, got '${cells[1]}'`);
    const value = parseNumberCell(cells[2]);
    if (value === null) throw new BundleError(file, line, 3, `'${cells[2]}' in column 'Value' is not a number`);
    const again = lines.get(step);
    if (again !== undefined)
      throw new BundleError(
        file,
        line,
        2,
        `step ${step} appears twice (first on line ${again}); a restarted run logs steps again — keep one stretch`,
      );
    lines.set(step, line);
    series.set(step, value);
  }
  if (series.size === 0) throw new BundleError(file, null, null, 'the header is there but no rows follow');
  return series;
}

/**
 * A folder of TensorBoard scalar exports as one group of runs. A file that cannot be read leaves its run out (`bad`,
 * with the located reason); a file whose run cannot be told is thrown, as it belongs to no run.
 */
export function readTensorboardFiles(
  files: readonly { name: string; text: string }[],
  group: string,
): TensorboardImport {
  const byRun = new Map<string, RunSeries>();
  const mapping = new Map<string, string>();
  const bad = new Map<string, { run?: string; file: string; error: BundleError }>();
  const { relative } = relativeToCommonFolder(files.map((f) => f.name));
  for (const [i, f] of files.entries()) {
    const rt = runAndTag(relative[i]);
    if ('error' in rt) {
      bad.set(`file ${f.name}`, { file: f.name, error: new BundleError(f.name, null, null, rt.error) });
      continue;
    }
    const column = columnForTag(rt.tag);
    const tags: RunSeries = byRun.get(rt.run) ?? new Map();
    byRun.set(rt.run, tags);
    mapping.set(rt.tag, column);
    const other = tags.get(column);
    try {
      if (other)
        throw new BundleError(
          f.name,
          null,
          null,
          `run '${rt.run}' has tag '${rt.tag}' (column '${column}') twice: also in ${other.file}`,
        );
      if (column === 'step')
        throw new BundleError(
          f.name,
          null,
          null,
          `tag '${rt.tag}' would become the 'step' column, which the Step column already fills`,
        );
      tags.set(column, { file: f.name, series: parseSeries(f.text, f.name) });
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
      if (!bad.has(rt.run)) bad.set(rt.run, { run: rt.run, file: f.name, error: e });
    }
  }
  for (const run of bad.keys()) byRun.delete(run);
  const joined = joinRunSeries(byRun);
  for (const b of joined.bad) bad.set(b.run, { run: b.run, file: b.error.file, error: b.error });
  const runs = joined.runs;
  return {
    bundle: { format: RUN_BUNDLE_FORMAT, groups: [{ name: group, config: { importedFrom: 'tensorboard-csv' }, runs }] },
    mapping: [...mapping].map(([from, to]) => ({ from, to })).sort((a, b) => naturalCompare(a.from, b.from)),
    runs: runs.map((r) => r.id),
    tags: [...new Set(runs.flatMap((r) => Object.keys(r.checkpoints).filter((c) => c !== 'step')))].sort(
      naturalCompare,
    ),
    dropped: joined.dropped,
    bad: [...bad.values()],
  };
}

/** The strict form: the first file that cannot be read is thrown. */
export function parseTensorboardFiles(
  files: readonly { name: string; text: string }[],
  group: string,
): TensorboardImport {
  const r = readTensorboardFiles(files, group);
  if (r.bad.length) throw r.bad[0].error;
  return r;
}
