/**
 * Reads what a user hands over — one bundle, or a folder (a list) of files — into one bundle, recognizing the format
 * from the content: our JSON bundles, long tables in any dialect (our long CSV among them), the authors' per-run CSVs,
 * TensorBoard scalar exports and event files, and W&B chart exports. Pure over (file name, text or bytes), so the CLI
 * (which lists folders) and the page (which gets files from a drop or a picker) import the same way.
 *
 * Files or runs that cannot be read are problems, each with its located message. By default any problem refuses the
 * whole import (ImportError lists them); with `skipBad` the rest is imported and the problems come back as `skipped`.
 * Either way nothing is left out silently.
 */
import { isAuthorsHeader, readAuthorsRunFiles } from './authorsCsv.ts';
import { BundleError } from './bundleError.ts';
import { baseName, csvHeaderOf, DELIMITER_NAMES, detectDelimiter, naturalCompare } from './csvRecords.ts';
import { bundleText } from './decodeText.ts';
import { parseRunsJson } from './jsonBundle.ts';
import { longTableRoles, readLongTable, RUN_COLUMNS, STEP_COLUMNS } from './longTable.ts';
import { describeRenames } from './metricAliases.ts';
import type { RunBundle } from './runBundle.ts';
import { quoted, safeMessage } from './safeText.ts';
import { describeDropped } from './seriesJoin.ts';
import { isTensorboardHeader, readTensorboardFiles } from './tensorboardCsv.ts';
import { isEventFileName, readEventFiles } from './tensorboardEvents.ts';
import { startsWithTfRecord } from './tfRecord.ts';
import { isWandbHeader, readWandbFiles } from './wandbCsv.ts';

export interface TextFile {
  name: string;
  text: string;
}

/** A file as text, or as the bytes it holds (binary event files need them; text is decoded as decodeText.ts says). */
export type InputFile = TextFile | { name: string; bytes: Uint8Array };

export type ImportFormat =
  | 'trainmap-json'
  | 'trainmap-csv'
  | 'long-table'
  | 'authors-csv'
  | 'tensorboard-csv'
  | 'tensorboard-events'
  | 'wandb-csv';

/** A file, or a run of a file, that could not be read, with the located reason (a BundleError's message). */
export interface ImportProblem {
  file: string;
  run?: string;
  message: string;
}

export interface ImportResult {
  bundle: RunBundle;
  format: ImportFormat;
  /** Their column (or tag) → ours, for imports that rename; our own formats keep every name. */
  mapping: { from: string; to: string }[];
  /** What was done that the user should know: the format, the mapping, anything left out. */
  notes: string[];
  /** What was left out because it could not be read (only with skipBad; otherwise the import is refused). */
  skipped: ImportProblem[];
}

export interface ImportOptions {
  /** Import what can be read and list the rest in `skipped`, instead of refusing the whole import. */
  skipBad?: boolean;
  /** Files the caller could not even hand over (a gzip that does not decompress), counted like any other problem. */
  problems?: readonly ImportProblem[];
}

/**
 * An import refused: every file or run that cannot be read, and how many runs could be. A BundleError (of its first
 * file) whose message is the one located message when there is one problem, else a one-line summary of them.
 */
export class ImportError extends BundleError {
  constructor(
    readonly problems: readonly ImportProblem[],
    readonly readable: number,
  ) {
    super(problems[0]?.file ?? '', null, null, 'cannot be read');
    const shown = problems.slice(0, 3).map((p) => p.message);
    this.message =
      problems.length === 1 && readable === 0
        ? problems[0].message
        : safeMessage(
            `${problems.length} ${unitOf(problems)} of this import cannot be read: ${shown.join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}${readable ? `; the other ${readable} run${readable > 1 ? 's' : ''} can be read` : ''}`,
          );
    this.name = 'ImportError';
  }
}

function unitOf(problems: readonly ImportProblem[]): string {
  const runs = problems.filter((p) => p.run !== undefined).length;
  const unit = runs === problems.length ? 'run' : runs === 0 ? 'file' : 'file or run';
  return problems.length === 1 ? unit : unit.replace(/(file|run)/g, '$1s');
}

export const FORMAT_NAMES: Record<ImportFormat, string> = {
  'trainmap-json': 'a Trainmap JSON bundle',
  'trainmap-csv': 'a Trainmap long CSV bundle',
  'long-table': 'a long table (one row per checkpoint, run and step columns)',
  'authors-csv': "the authors' per-run CSV format (michahu/modeling-training, one file per seed)",
  'tensorboard-csv': 'TensorBoard scalar CSV exports (Wall time,Step,Value; one file per run and tag)',
  'tensorboard-events': 'TensorBoard event files (events.out.tfevents.*, a folder per run)',
  'wandb-csv': 'W&B chart exports (Step, <run> - <metric>, __MIN/__MAX)',
};

const isBytes = (f: InputFile): f is { name: string; bytes: Uint8Array } => 'bytes' in f;

/** The text of a file, decoded once. */
function textOf(f: InputFile, cache: Map<InputFile, string>): string {
  let t = cache.get(f);
  if (t === undefined) cache.set(f, (t = isBytes(f) ? bundleText(f.bytes, f.name) : bundleText(f.text, f.name)));
  return t;
}

function detectText(name: string, text: string): ImportFormat {
  const head = text.trimStart();
  if (/\.json(\.gz)?$/i.test(name) || head.startsWith('{')) return 'trainmap-json';
  if (head === '') throw new BundleError(name, null, null, 'the file is empty');
  const { delimiter } = detectDelimiter(text);
  const header = csvHeaderOf(text, name, delimiter)!;
  if (isTensorboardHeader(header.cells)) return 'tensorboard-csv';
  if (delimiter === ',' && isWandbHeader(header.cells)) return 'wandb-csv';
  if (isAuthorsHeader(header.cells)) return 'authors-csv';
  const roles = longTableRoles(header.cells);
  if (roles.run && roles.step)
    return delimiter === ',' && roles.run === 'run' && roles.step === 'step' ? 'trainmap-csv' : 'long-table';
  throw new BundleError(
    name,
    header.line,
    null,
    `not a format Trainmap reads (header: ${header.cells.join(delimiter)}); expected a long table with a run column (${RUN_COLUMNS.join(', ')}) and a step column (${STEP_COLUMNS.join(', ')}), the authors' per-run CSV (,l1,l2,trace,…,step), a TensorBoard export (Wall time,Step,Value) or event file, or a W&B chart export (Step, <run> - <metric>, …)`,
  );
}

/** The format of one file from its content (and name, for JSON and event files). */
export function detectFormat(file: InputFile, cache = new Map<InputFile, string>()): ImportFormat {
  if (isBytes(file) && (isEventFileName(file.name) || startsWithTfRecord(file.bytes))) return 'tensorboard-events';
  return detectText(file.name, textOf(file, cache));
}

const arrow = (m: { from: string; to: string }) => (m.from === m.to ? m.from : `${m.from} → ${m.to}`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function problemOf(file: string, e: unknown, run?: string): ImportProblem {
  if (!(e instanceof BundleError)) throw e;
  return run === undefined ? { file, message: e.message } : { file, run, message: e.message };
}

/**
 * One bundle from one or more files. Several files must share a format (long tables and JSON bundles come one at a
 * time); `group` names the group they form (the folder's name, say).
 */
export function importFiles(files: readonly InputFile[], group?: string, options: ImportOptions = {}): ImportResult {
  if (files.length === 0) throw new Error('no files to import');
  const sorted = [...files].sort((a, b) => naturalCompare(a.name, b.name));
  const cache = new Map<InputFile, string>();
  const problems: ImportProblem[] = [...(options.problems ?? [])];
  const detected: { file: InputFile; format: ImportFormat }[] = [];
  for (const file of sorted) {
    try {
      detected.push({ file, format: detectFormat(file, cache) });
    } catch (e) {
      problems.push(problemOf(file.name, e));
    }
  }
  if (detected.length === 0) throw new ImportError(problems, 0);
  // The odd file out is reported against the format most files have.
  const count = (f: ImportFormat) => detected.filter((d) => d.format === f).length;
  const format = detected.map((d) => d.format).reduce((a, b) => (count(b) > count(a) ? b : a));
  const same = detected.filter((d) => d.format === format);
  for (const d of detected.filter((x) => x.format !== format)) {
    const others = same.length;
    problems.push({
      file: d.file.name,
      message: new BundleError(
        d.file.name,
        null,
        null,
        `is ${FORMAT_NAMES[d.format]}, but ${others > 1 ? `${others} other files (${same[0].file.name}, …) are` : `${same[0].file.name} is`} ${FORMAT_NAMES[format]}; a folder or list of files must hold one format`,
      ).message,
    });
  }
  const name = group ?? (sorted.length === 1 ? baseName(sorted[0].name).replace(/\.[^.]*$/, '') : 'runs');
  const inputs = same.map((d) => d.file);
  const texts = () => inputs.map((f) => ({ name: f.name, text: textOf(f, cache) }));
  const read = readFormat(format, inputs, texts, name, cache);
  problems.push(...read.problems);
  const runs = read.bundle ? read.bundle.groups.reduce((n, g) => n + g.runs.length, 0) : 0;
  if (runs === 0 || (problems.length && !options.skipBad)) throw new ImportError(problems, runs);
  const notes = [...read.notes];
  if (problems.length)
    notes.push(
      `left out ${plural(problems.length, 'file or run', 'files or runs')} that cannot be read: ${problems.map((p) => (p.run !== undefined ? `run ${quoted(p.run)} (${p.message})` : p.message)).join('; ')}`,
    );
  return { bundle: read.bundle!, format, mapping: read.mapping, notes, skipped: problems };
}

interface FormatRead {
  bundle: RunBundle | null;
  mapping: { from: string; to: string }[];
  notes: string[];
  problems: ImportProblem[];
}

function readFormat(
  format: ImportFormat,
  inputs: readonly InputFile[],
  texts: () => TextFile[],
  group: string,
  cache: Map<InputFile, string>,
): FormatRead {
  const out: FormatRead = { bundle: null, mapping: [], notes: [], problems: [] };
  const several = `read ${plural(inputs.length, 'file')} as ${FORMAT_NAMES[format]}`;
  if (format === 'trainmap-json' || format === 'trainmap-csv' || format === 'long-table') {
    if (inputs.length > 1)
      throw new BundleError(
        inputs[1].name,
        null,
        null,
        `${inputs[0].name} is already ${FORMAT_NAMES[format]} holding all its runs; pass one bundle file, or a folder of per-run files (the authors' CSVs, TensorBoard exports or event files, W&B exports)`,
      );
    const file = inputs[0];
    try {
      if (format === 'trainmap-json') out.bundle = parseRunsJson(textOf(file, cache), file.name);
      else readTable(file.name, textOf(file, cache), format, out);
    } catch (e) {
      out.problems.push(problemOf(file.name, e));
    }
    return out;
  }
  if (format === 'authors-csv') {
    const r = readAuthorsRunFiles(texts(), group);
    out.bundle = r.bundle;
    out.mapping = r.mapping;
    out.problems = r.bad.map((b) => problemOf(b.file, b.error));
    const renamed = r.mapping.filter((m) => m.from !== m.to);
    out.notes.push(
      `read ${plural(inputs.length, 'file')} in ${FORMAT_NAMES[format]}; run ids from the file names`,
      `columns mapped: ${renamed.map(arrow).join(', ') || 'none renamed'}; kept as they are: ${r.mapping
        .filter((m) => m.from === m.to)
        .map((m) => m.from)
        .join(', ')}`,
    );
    const n = inputs.length - r.bad.length;
    if (r.indexColumns)
      out.notes.push(
        `the pandas index column was dropped${r.indexColumns < n ? ` (${r.indexColumns} of ${n} files have one)` : ''}`,
      );
    if (r.stepFromEpoch)
      out.notes.push(
        `${r.stepFromEpoch} file${r.stepFromEpoch > 1 ? 's have' : ' has'} no 'step' column; their 'epoch' orders the checkpoints and is used as the step`,
      );
    else out.notes.push("their 'step' (the N of their stats files epochN.json) orders the checkpoints");
    return out;
  }
  if (format === 'tensorboard-csv') {
    const r = readTensorboardFiles(texts(), group);
    out.bundle = r.bundle;
    out.mapping = r.mapping;
    out.problems = r.bad.map((b) => problemOf(b.file, b.error, b.run));
    out.notes.push(
      `${several}: ${plural(r.runs.length, 'run')} (${r.runs.join(', ')}), tags → columns: ${r.mapping.map(arrow).join(', ')}`,
      'a checkpoint is a step at which every tag of the run has a value; wall times are not kept',
      ...describeDropped(r.dropped, 'tag'),
    );
    return out;
  }
  if (format === 'wandb-csv') {
    const r = readWandbFiles(texts(), group);
    out.bundle = r.bundle;
    out.mapping = r.renames;
    out.problems = r.bad.map((b) => problemOf(b.file, b.error, b.run));
    const runs = r.bundle.groups[0].runs;
    out.notes.push(
      `${several}: ${plural(runs.length, 'run')} (${runs.map((x) => x.id).join(', ')}), metrics → columns; ${plural(r.companions, '__MIN/__MAX column')} (the range of each plotted bucket) dropped`,
      ...r.sampling,
      'a checkpoint is a step at which every metric of the run has a value',
      ...describeRenames(r.renames),
      ...describeDropped(r.dropped, 'metric'),
    );
    return out;
  }
  const bytes = inputs.map((f) => ({ name: f.name, bytes: isBytes(f) ? f.bytes : new TextEncoder().encode(f.text) }));
  const r = readEventFiles(bytes, group);
  out.bundle = r.bundle;
  out.mapping = r.renames;
  out.problems = r.bad.map((b) => problemOf(b.file, b.error, b.run));
  const runs = r.bundle.groups[0].runs;
  out.notes.push(
    `${several}: ${r.records} records, ${plural(runs.length, 'run')} (${runs.map((x) => x.id).join(', ')}); tags → columns, steps → checkpoints; wall times are not kept`,
    'a checkpoint is a step at which every scalar tag of the run has a value',
    ...describeRenames(r.renames),
    ...r.skippedTags.map(
      (s) =>
        `run ${s.run}: tag ${quoted(s.tag)} left out: ${plural(s.count, 'value')} that ${s.count === 1 ? 'is' : 'are'} ${s.reason}`,
    ),
    ...describeDropped(r.dropped, 'tag'),
  );
  return out;
}

function readTable(file: string, text: string, format: ImportFormat, out: FormatRead): void {
  const t = readLongTable(text, file);
  out.bundle = t.bundle;
  out.mapping = t.renames;
  out.problems = t.badRuns.map((b) => problemOf(file, b.error, b.run));
  if (format === 'long-table') {
    const c = t.delimiterCounts;
    out.notes.push(
      `read as a ${DELIMITER_NAMES[t.delimiter]}-separated long table (the header holds ${c['\t']} tabs, ${c[',']} commas, ${c[';']} semicolons)`,
      `run ids from column '${t.runColumn}', steps from column '${t.stepColumn}' (the first of ${RUN_COLUMNS.join(', ')} and of ${STEP_COLUMNS.join(', ')} the header has)`,
    );
  }
  if (t.indexColumn !== null)
    out.notes.push(`the first column${t.indexColumn ? ` '${t.indexColumn}'` : ''}, a pandas index, was dropped`);
  if (t.groupColumn) {
    const groups = t.bundle.groups.map((g) => g.name);
    out.notes.push(
      `column 'group' names each row's group: ${plural(groups.length, 'group')} (${groups.map((g) => quoted(g)).join(', ')})`,
    );
  }
  if (t.textColumns.length)
    out.notes.push(
      `left out ${plural(t.textColumns.length, 'column')} that hold${t.textColumns.length === 1 ? 's' : ''} no numbers: ${t.textColumns.map((c) => `${quoted(c.name)} (line ${c.line}: ${quoted(c.cell, 40)})`).join(', ')}`,
    );
  out.notes.push(...describeRenames(t.renames));
}
