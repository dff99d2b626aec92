/**
 * Reads what a user hands over — one bundle, or a folder (a list) of per-run files — into one bundle,
 * recognizing the format from the content: our long CSV and JSON bundles, the authors' per-run CSVs
 * and TensorBoard scalar exports. Pure over (file name, text) pairs, so the CLI (which lists folders)
 * and the page (which gets files from a drop or a picker) import the same way.
 */
import { isAuthorsHeader, parseAuthorsRunFiles } from './authorsCsv.ts';
import { BundleError } from './bundleError.ts';
import { parseRunsCsv } from './csvBundle.ts';
import { baseName, csvHeaderOf, naturalCompare } from './csvRecords.ts';
import { parseRunsJson } from './jsonBundle.ts';
import type { RunBundle } from './runBundle.ts';
import { isTensorboardHeader, parseTensorboardFiles } from './tensorboardCsv.ts';

export interface TextFile {
  name: string;
  text: string;
}

export type ImportFormat = 'trainmap-json' | 'trainmap-csv' | 'authors-csv' | 'tensorboard-csv';

export interface ImportResult {
  bundle: RunBundle;
  format: ImportFormat;
  /** Their column (or tag) → ours, for imports that rename; our own formats keep every name. */
  mapping: { from: string; to: string }[];
  /** What was done that the user should know: the format, the mapping, anything left out. */
  notes: string[];
}

const FORMAT_NAMES: Record<ImportFormat, string> = {
  'trainmap-json': 'a Trainmap JSON bundle',
  'trainmap-csv': 'a Trainmap long CSV bundle',
  'authors-csv': "the authors' per-run CSV format (michahu/modeling-training, one file per seed)",
  'tensorboard-csv': 'TensorBoard scalar CSV exports (Wall time,Step,Value; one file per run and tag)',
};

/** The format of one file from its content (and name, for JSON). */
export function detectFormat(file: TextFile): ImportFormat {
  const head = file.text.replace(/^\uFEFF/, '').trimStart();
  if (/\.json$/i.test(file.name) || head.startsWith('{')) return 'trainmap-json';
  if (head === '') throw new BundleError(file.name, null, null, 'the file is empty');
  const header = csvHeaderOf(file.text, file.name)!;
  if (isTensorboardHeader(header.cells)) return 'tensorboard-csv';
  if (isAuthorsHeader(header.cells)) return 'authors-csv';
  if (header.cells.includes('run') && header.cells.includes('step')) return 'trainmap-csv';
  throw new BundleError(
    file.name,
    header.line,
    null,
    `not a format Trainmap reads (header: ${header.cells.join(',')}); expected a long CSV with run and step columns, the authors' per-run CSV (,l1,l2,trace,…,step), or a TensorBoard export (Wall time,Step,Value)`,
  );
}

const arrow = (m: { from: string; to: string }) => (m.from === m.to ? m.from : `${m.from} → ${m.to}`);

/**
 * One bundle from one or more files. Several files must all be the authors' per-run CSVs or all
 * TensorBoard exports; `group` names the group they form (the folder's name, say).
 */
export function importFiles(files: readonly TextFile[], group?: string): ImportResult {
  if (files.length === 0) throw new Error('no files to import');
  const sorted = [...files].sort((a, b) => naturalCompare(a.name, b.name));
  const formats = sorted.map(detectFormat);
  // The odd file out is reported against the format most files have.
  const count = (f: ImportFormat) => formats.filter((x) => x === f).length;
  const format = formats.reduce((a, b) => (count(b) > count(a) ? b : a));
  const odd = formats.findIndex((f) => f !== format);
  if (odd >= 0) {
    const others = count(format);
    const example = sorted[formats.indexOf(format)].name;
    throw new BundleError(
      sorted[odd].name,
      null,
      null,
      `is ${FORMAT_NAMES[formats[odd]]}, but ${others > 1 ? `${others} other files (${example}, …) are` : `${example} is`} ${FORMAT_NAMES[format]}; a folder or list of files must hold one format`,
    );
  }
  const name = group ?? (sorted.length === 1 ? baseName(sorted[0].name).replace(/\.[^.]*$/, '') : 'runs');
  if (format === 'trainmap-json' || format === 'trainmap-csv') {
    if (sorted.length > 1) {
      throw new BundleError(
        sorted[1].name,
        null,
        null,
        `${sorted[0].name} is already ${FORMAT_NAMES[format]} holding all its runs; pass one bundle file, or a folder of per-run files (the authors' CSVs or TensorBoard exports)`,
      );
    }
    const bundle =
      format === 'trainmap-json'
        ? parseRunsJson(sorted[0].text, sorted[0].name)
        : parseRunsCsv(sorted[0].text, sorted[0].name);
    return { bundle, format, mapping: [], notes: [] };
  }
  if (format === 'authors-csv') {
    const r = parseAuthorsRunFiles(sorted, name);
    const renamed = r.mapping.filter((m) => m.from !== m.to);
    const notes = [
      `read ${sorted.length} file${sorted.length > 1 ? 's' : ''} in ${FORMAT_NAMES[format]}; run ids from the file names`,
      `columns mapped: ${renamed.map(arrow).join(', ') || 'none renamed'}; kept as they are: ${r.mapping
        .filter((m) => m.from === m.to)
        .map((m) => m.from)
        .join(', ')}`,
    ];
    if (r.indexColumns)
      notes.push(
        `the pandas index column was dropped${r.indexColumns < sorted.length ? ` (${r.indexColumns} of ${sorted.length} files have one)` : ''}`,
      );
    if (r.stepFromEpoch)
      notes.push(
        `${r.stepFromEpoch} file${r.stepFromEpoch > 1 ? 's have' : ' has'} no 'step' column; their 'epoch' orders the checkpoints and is used as the step`,
      );
    else notes.push("their 'step' (the N of their stats files epochN.json) orders the checkpoints");
    return { bundle: r.bundle, format, mapping: r.mapping, notes };
  }
  const r = parseTensorboardFiles(sorted, name);
  const notes = [
    `read ${sorted.length} file${sorted.length > 1 ? 's' : ''} as ${FORMAT_NAMES[format]}: ${r.runs.length} run${r.runs.length > 1 ? 's' : ''} (${r.runs.join(', ')}), tags → columns: ${r.mapping.map(arrow).join(', ')}`,
    'a checkpoint is a step at which every tag of the run has a value; wall times are not kept',
  ];
  for (const d of r.dropped)
    notes.push(
      `run ${d.run}: ${d.rows} row${d.rows > 1 ? 's' : ''} of '${d.tag}' left out (steps some other tag of the run did not log)`,
    );
  return { bundle: r.bundle, format, mapping: r.mapping, notes };
}
