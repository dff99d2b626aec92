/**
 * TensorBoard log folders read directly: event files (`events.out.tfevents.*`) laid out as TensorBoard lays them out,
 * a run per folder — the files in one folder (its path below the folder imported) are one run, read in name order
 * (their names start with the time they were opened), as TensorBoard reads them. Files handed over without any folder
 * (picked one by one in the page) are a run each, named by the file. Tags become columns (renamed where
 * metricAliases.ts knows them), steps become checkpoints, joined as seriesJoin.ts says.
 */
import { BundleError } from './bundleError.ts';
import { baseName, naturalCompare, relativeToCommonFolder } from './csvRecords.ts';
import type { Rename } from './metricAliases.ts';
import { RUN_BUNDLE_FORMAT, type RunBundle } from './runBundle.ts';
import { quoted } from './safeText.ts';
import { renameAndJoin, type JoinedRuns, type RunSeries } from './seriesJoin.ts';
import { readEventFile, type ScalarPoints } from './tfEvents.ts';

export interface ByteInput {
  name: string;
  bytes: Uint8Array;
}

/** TensorBoard's event file names: events.out.tfevents.<time>.<host>… */
export const isEventFileName = (name: string): boolean => /^events\.out\.tfevents\./.test(baseName(name));

export interface EventsImport {
  bundle: RunBundle;
  renames: Rename[];
  dropped: JoinedRuns['dropped'];
  /** Runs left out: the first file of theirs that cannot be read, and why. */
  bad: { run: string; file: string; error: BundleError }[];
  /** Tags whose values are not scalars, by run. */
  skippedTags: { run: string; tag: string; reason: string; count: number }[];
  records: number;
}

/** The run each file belongs to: its folder below the common one, that folder's own name at the top. */
function runNames(names: readonly string[], group: string): string[] {
  const { folder, relative } = relativeToCommonFolder(names);
  const anyFolder = names.some((n) => /[\\/]/.test(n));
  return relative.map((r, i) => {
    const dir = r.split('/').slice(0, -1).join('/');
    if (dir) return dir;
    if (!anyFolder) return baseName(names[i]).replace(/^events\.out\.tfevents\./, '') || names[i];
    return baseName(folder) || group;
  });
}

/** A tag's k-th point repeats an earlier step: located at its record, naming where the first one is. */
function repeated(tag: string, k: number, file: string, earlier: readonly string[], points: ScalarPoints): BundleError {
  const step = points.steps[k];
  const at = points.steps.indexOf(step);
  const first =
    at < k
      ? `at byte ${points.offsets[at]}`
      : `in ${earlier.length === 1 ? earlier[0] : `one of ${earlier.join(', ')}`}`;
  return new BundleError(
    file,
    null,
    null,
    `tag ${quoted(tag)} has step ${step} twice (first ${first}); a restarted run logs steps again — keep one stretch`,
    points.offsets[k],
  );
}

export function readEventFiles(files: readonly ByteInput[], group: string): EventsImport {
  const sorted = [...files].sort((a, b) => naturalCompare(a.name, b.name));
  const runOf = runNames(
    sorted.map((f) => f.name),
    group,
  );
  const tags = new Map<string, Map<string, { file: string; series: Map<number, number>; files: string[] }>>();
  const bad = new Map<string, { run: string; file: string; error: BundleError }>();
  const skippedTags: EventsImport['skippedTags'] = [];
  let records = 0;
  sorted.forEach((f, i) => {
    const run = runOf[i];
    if (bad.has(run)) return;
    const series = tags.get(run) ?? new Map();
    tags.set(run, series);
    try {
      const read = readEventFile(f.bytes, f.name);
      records += read.records;
      for (const [tag, s] of read.skipped) skippedTags.push({ run, tag, ...s });
      for (const [tag, points] of read.tags) {
        let t = series.get(tag);
        if (!t) series.set(tag, (t = { file: f.name, series: new Map(), files: [] }));
        const { steps, values } = points;
        for (let k = 0; k < steps.length; k++) {
          if (t.series.has(steps[k])) throw repeated(tag, k, f.name, t.files, points);
          t.series.set(steps[k], values[k]);
        }
        t.files.push(f.name);
      }
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
      bad.set(run, { run, file: f.name, error: e });
    }
  });
  for (const run of bad.keys()) tags.delete(run);
  const byRun = new Map<string, RunSeries>();
  for (const [run, series] of tags) {
    if (series.size === 0) {
      const file = sorted[runOf.indexOf(run)].name;
      const others = skippedTags.filter((t) => t.run === run).map((t) => t.tag);
      const only = others.length ? ` (only ${others.join(', ')}, which are not scalars)` : '';
      bad.set(run, {
        run,
        file,
        error: new BundleError(file, null, null, `run ${quoted(run)} holds no scalars${only}`),
      });
    } else byRun.set(run, new Map([...series].map(([tag, t]) => [tag, { file: t.file, series: t.series }])));
  }
  const joined = renameAndJoin(byRun);
  for (const b of joined.bad) bad.set(b.run, { run: b.run, file: b.error.file, error: b.error });
  const renames = joined.renames;
  return {
    bundle: {
      format: RUN_BUNDLE_FORMAT,
      groups: [{ name: group, config: { importedFrom: 'tensorboard-events' }, runs: joined.runs }],
    },
    renames,
    dropped: joined.dropped,
    bad: [...bad.values()].sort((a, b) => naturalCompare(a.run, b.run)),
    skippedTags,
    records,
  };
}
