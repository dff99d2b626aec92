/**
 * The per-run CSV files the authors' pipeline writes (michahu/modeling-training,
 * scripts/02_stats_to_data/training_run_json_to_csv.py: `pd.DataFrame(get_stats_for_run(...)).to_csv(...)`),
 * one file per seed, read into runs of a bundle with our column names.
 *
 * What their code writes, and how it maps (read in their src/utils.py and src/metrics.py):
 * - a pandas index column (an empty header cell; 'Unnamed: 0' once re-saved by pandas) — dropped;
 * - `l1, l2, trace, spectral`: means over the weight matrices of each matrix's value, as ours;
 * - `code_sparsity`: the mean of per-matrix l1/l2 — our l1_over_l2; `computational_sparsity`: the mean of
 *   per-matrix trace/spectral — our trace_over_spectral;
 * - `mean_lambda` and `variance_lambda` (get_stats_for_run; `var_lambda` is only a parameter name there)
 *   or `mean_singular_value` and `var_singular_value` (get_stats_for_cnn): the per-matrix mean and
 *   variance of the singular values (floored at 1e-5), averaged over matrices — our sv_mean and sv_var;
 * - `mean_w, median_w, var_w, mean_b, median_b, var_b`: mean, median and variance of all weights and of
 *   all biases (`get_distribution_stats`) — our weight_* and bias_*;
 * - `step`: parsed from their stats file names `epoch{N}.json`, so an epoch count for the tasks here
 *   (their glue path writes optimizer steps) — kept as our step, the checkpoint order;
 * - `train_loss, eval_loss`, and `train_accuracy, eval_accuracy` — our train_acc and eval_acc.
 * Rows are sorted by step, as their make_hmm_data does (files list their checkpoints in glob order).
 */
import { BundleError } from './bundleError.ts';
import { csvRecordsOf, parseNumberCell, stem } from './csvRecords.ts';
import { RUN_BUNDLE_FORMAT, type Checkpoints, type Run, type RunBundle } from './runBundle.ts';

export const AUTHORS_COLUMNS: Readonly<Record<string, string>> = {
  l1: 'l1',
  l2: 'l2',
  trace: 'trace',
  spectral: 'spectral',
  code_sparsity: 'l1_over_l2',
  computational_sparsity: 'trace_over_spectral',
  mean_lambda: 'sv_mean',
  variance_lambda: 'sv_var',
  mean_singular_value: 'sv_mean',
  var_singular_value: 'sv_var',
  mean_w: 'weight_mean',
  median_w: 'weight_median',
  var_w: 'weight_var',
  mean_b: 'bias_mean',
  median_b: 'bias_median',
  var_b: 'bias_var',
  step: 'step',
  train_loss: 'train_loss',
  eval_loss: 'eval_loss',
  train_accuracy: 'train_acc',
  eval_accuracy: 'eval_acc',
};

/** Columns only the authors' files have: one of them (and `step` or `epoch`) marks the format. */
export const AUTHORS_ONLY: readonly string[] = [
  'code_sparsity',
  'computational_sparsity',
  'mean_lambda',
  'variance_lambda',
  'mean_singular_value',
  'var_singular_value',
  'mean_w',
  'var_w',
  'mean_b',
  'var_b',
];

function isIndexCell(cell: string): boolean {
  return cell === '' || /^Unnamed: 0$/.test(cell);
}

/** Whether a CSV header is the authors' per-run format. */
export function isAuthorsHeader(header: readonly string[]): boolean {
  const names = header.filter((h, j) => !(j === 0 && isIndexCell(h)));
  return (
    !['run', 'run_id', 'seed'].some((r) => names.includes(r)) &&
    (names.includes('step') || names.includes('epoch')) &&
    names.some((h) => AUTHORS_ONLY.includes(h))
  );
}

export interface AuthorsRun {
  run: Run;
  /** Their column → ours, for the columns that were renamed or kept. */
  mapping: { from: string; to: string }[];
  indexColumn: boolean;
  stepFrom: 'step' | 'epoch';
}

/** The seed in a file name like seed3.csv or lr0.001_adamw_seed3_scaling1.0.csv, or null. */
export function seedFromName(name: string): number | null {
  const m = /seed[_-]?(\d+)/i.exec(stem(name));
  return m ? Number(m[1]) : null;
}

/** One authors' per-run file: the run id is the file name without its extension. */
export function parseAuthorsRunCsv(text: string, file: string): AuthorsRun {
  const records = csvRecordsOf(text, file);
  const first = records.next();
  if (first.done)
    throw new BundleError(
      file,
      null,
      null,
      "the file is empty; expected the authors' per-run CSV (a header like ,l1,l2,trace,…,step)",
    );
  const header = first.value.cells.map((c) => c.trim());
  const headerLine = first.value.line;
  const indexColumn = header.length > 0 && isIndexCell(header[0]);
  const targets = new Map<string, number>();
  const columns: { j: number; from: string; to: string }[] = [];
  header.forEach((h, j) => {
    if (j === 0 && indexColumn) return;
    if (h === '') throw new BundleError(file, headerLine, j + 1, 'empty column name in the header');
    const to = Object.hasOwn(AUTHORS_COLUMNS, h) ? AUTHORS_COLUMNS[h] : h;
    const clash = targets.get(to);
    if (clash !== undefined) {
      throw new BundleError(
        file,
        headerLine,
        j + 1,
        `column '${h}' and column '${header[clash]}' (column ${clash + 1}) both map to '${to}'`,
      );
    }
    targets.set(to, j);
    columns.push({ j, from: h, to });
  });
  const stepFrom = targets.has('step') ? 'step' : targets.has('epoch') ? 'epoch' : null;
  if (!stepFrom)
    throw new BundleError(
      file,
      headerLine,
      null,
      `no 'step' (or 'epoch') column to order the checkpoints by (header: ${header.join(',')})`,
    );
  const stepCol = targets.get(stepFrom)!;
  const rows: { line: number; values: number[]; step: number }[] = [];
  const seen = new Map<number, number>();
  for (const { line, cells } of records) {
    if (cells.length !== header.length) {
      throw new BundleError(
        file,
        line,
        Math.min(cells.length, header.length) + 1,
        `${cells.length} cells but the header has ${header.length} columns`,
      );
    }
    const values = columns.map(({ j, from }) => {
      const v = parseNumberCell(cells[j]);
      if (v === null) throw new BundleError(file, line, j + 1, `'${cells[j]}' in column '${from}' is not a number`);
      return v;
    });
    const step = values[columns.findIndex((c) => c.j === stepCol)];
    if (!Number.isInteger(step) || step < 0)
      throw new BundleError(
        file,
        line,
        stepCol + 1,
        `${stepFrom} must be a non-negative whole number, got '${cells[stepCol]}'`,
      );
    const again = seen.get(step);
    if (again !== undefined)
      throw new BundleError(file, line, stepCol + 1, `${stepFrom} ${step} appears twice (first on line ${again})`);
    seen.set(step, line);
    rows.push({ line, values, step });
  }
  if (rows.length === 0) throw new BundleError(file, null, null, 'the header is there but no checkpoint rows follow');
  rows.sort((a, b) => a.step - b.step);
  const checkpoints = { step: rows.map((r) => r.step) } as Checkpoints;
  columns.forEach((c, ci) => {
    if (c.to !== 'step') checkpoints[c.to] = rows.map((r) => r.values[ci]);
  });
  const id = stem(file);
  return {
    run: { id, seed: seedFromName(file), checkpoints },
    mapping: columns.map(({ from, to }) => ({ from, to })),
    indexColumn,
    stepFrom,
  };
}

export interface AuthorsImport {
  bundle: RunBundle;
  mapping: { from: string; to: string }[];
  indexColumns: number;
  stepFromEpoch: number;
  /** Files that cannot be read (each is one run), with the located reason. */
  bad: { file: string; error: BundleError }[];
}

/** Several authors' per-run files (one per seed) as one group of runs; a file that cannot be read is left out. */
export function readAuthorsRunFiles(files: readonly { name: string; text: string }[], group: string): AuthorsImport {
  const parsed: { file: string; run: AuthorsRun }[] = [];
  const bad: AuthorsImport['bad'] = [];
  const ids = new Map<string, string>();
  for (const f of files) {
    try {
      const run = parseAuthorsRunCsv(f.text, f.name);
      const other = ids.get(run.run.id);
      if (other !== undefined)
        throw new BundleError(
          f.name,
          null,
          null,
          `run id '${run.run.id}' (from the file name) is also the id of ${other}`,
        );
      ids.set(run.run.id, f.name);
      parsed.push({ file: f.name, run });
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
      bad.push({ file: f.name, error: e });
    }
  }
  const mapping = new Map<string, string>();
  for (const p of parsed) for (const m of p.run.mapping) mapping.set(m.from, m.to);
  return {
    bundle: {
      format: RUN_BUNDLE_FORMAT,
      groups: [{ name: group, config: { importedFrom: 'authors-csv' }, runs: parsed.map((p) => p.run.run) }],
    },
    mapping: [...mapping].map(([from, to]) => ({ from, to })),
    indexColumns: parsed.filter((p) => p.run.indexColumn).length,
    stepFromEpoch: parsed.filter((p) => p.run.stepFrom === 'epoch').length,
    bad,
  };
}

/** The strict form: the first file that cannot be read is thrown. */
export function parseAuthorsRunFiles(
  files: readonly { name: string; text: string }[],
  group: string,
): Omit<AuthorsImport, 'bad'> {
  const r = readAuthorsRunFiles(files, group);
  if (r.bad.length) throw r.bad[0].error;
  return r;
}
