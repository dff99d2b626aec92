/**
 * Long tables, whatever their dialect: one row per checkpoint, a run column and a step column, the rest values. Our
 * own long CSV (`run,step,…`, comma-separated) is the special case; a tab- or semicolon-separated table keyed by
 * `seed` (PolyPythias' extract_metrics.py writes one) reads the same way. docs/formats.md states the rules:
 *
 * - the delimiter is the one of comma, tab and semicolon the header line holds most of (csvRecords.ts);
 * - the run id comes from the first of RUN_COLUMNS the header has, the step from the first of STEP_COLUMNS;
 * - a first column with an empty name (or `Unnamed: 0`) is a pandas index and is dropped;
 * - `group`, if present, names the row's group;
 * - a column none of whose cells is a number is text: ignored, and named; every other column is numeric, and a cell
 *   in it that is not a number is an error at that cell;
 * - other tools' metric names are renamed to ours (metricAliases.ts).
 *
 * A problem inside a run's rows (a ragged row, a bad cell, a bad or repeated step) marks that run bad with a located
 * message; the caller decides whether the others are read (importFiles' skipBad). Problems with the file itself
 * (header, a row that names no run) are thrown.
 */
import { BundleError } from './bundleError.ts';
import { csvRecordsOf, detectDelimiter, parseNumberCell, type Delimiter } from './csvRecords.ts';
import { bundleText } from './decodeText.ts';
import { aliasesFor, type Rename } from './metricAliases.ts';
import { newCheckpoints, RUN_BUNDLE_FORMAT, type BundleNote, type RunBundle, type RunGroup } from './runBundle.ts';
import { quoted, safeText } from './safeText.ts';

/** Where a run's id may come from, in order of precedence. */
export const RUN_COLUMNS = ['run', 'run_id', 'seed'] as const;
/** Where a checkpoint's step may come from, in order of precedence: optimizer steps before epochs. */
export const STEP_COLUMNS = ['step', 'global_step', 'iteration', 'epoch'] as const;

export interface BadRun {
  group: string;
  run: string;
  error: BundleError;
}

export interface LongTable {
  bundle: RunBundle;
  delimiter: Delimiter;
  delimiterCounts: Record<Delimiter, number>;
  runColumn: string;
  stepColumn: string;
  groupColumn: string | null;
  /** The pandas index column that was dropped, by its header name ('' when unnamed). */
  indexColumn: string | null;
  /** Columns that hold no number, left out, with the first cell that shows it. */
  textColumns: { name: string; line: number; cell: string }[];
  renames: Rename[];
  /** Runs not read, with the first problem in their rows (in file order). */
  badRuns: BadRun[];
}

const isIndexName = (h: string) => h === '' || h === 'Unnamed: 0';
const groupOf = (file: string) => file.replace(/^.*[\\/]/, '').replace(/(\.[^.]*)?(\.gz)?$/i, '') || 'runs';

/** Which header cells play the run, step and group roles, or why the header has none. */
export function longTableRoles(header: readonly string[]): { run?: string; step?: string; group?: string } {
  return {
    run: RUN_COLUMNS.find((c) => header.includes(c)),
    step: STEP_COLUMNS.find((c) => header.includes(c)),
    group: header.includes('group') ? 'group' : undefined,
  };
}

interface RunRows {
  group: string;
  id: string;
  rows: { line: number; values: number[] }[];
  steps: Map<number, number>;
  problem?: BundleError;
  outOfOrder?: { line: number; step: number; after: number };
}

function notNumber(
  file: string,
  line: number,
  j: number,
  raw: string,
  name: string,
  delimiter: Delimiter,
): BundleError {
  const decimalComma = delimiter === ';' && /^\s*[+-]?\d+,\d+\s*$/.test(raw);
  return new BundleError(
    file,
    line,
    j + 1,
    `${quoted(raw)} in column ${quoted(name)} is not a number${decimalComma ? ' (a decimal comma? write 0.5, not 0,5)' : ''}`,
  );
}

export function readLongTable(input: string | Uint8Array, file: string): LongTable {
  const text = bundleText(input, file);
  const { delimiter, counts } = detectDelimiter(text);
  const records = csvRecordsOf(text, file, delimiter);
  const first = records.next();
  if (first.done) throw new BundleError(file, null, null, 'the file is empty; expected a header like run,step,l1,l2,…');
  const header = first.value.cells.map((c) => c.trim());
  const headerLine = first.value.line;
  const indexCol = header.length > 1 && isIndexName(header[0]) ? 0 : -1;
  const position = new Map<string, number>();
  header.forEach((h, j) => {
    if (j === indexCol) return;
    if (h === '') throw new BundleError(file, headerLine, j + 1, 'empty column name in the header');
    const again = position.get(h);
    if (again !== undefined)
      throw new BundleError(
        file,
        headerLine,
        j + 1,
        `column ${quoted(h)} appears twice in the header (also column ${again + 1})`,
      );
    position.set(h, j);
  });
  const roles = longTableRoles([...position.keys()]);
  const shown = safeText(header.join(delimiter), 160);
  if (!roles.run)
    throw new BundleError(
      file,
      headerLine,
      null,
      `missing required column 'run' (or ${RUN_COLUMNS.slice(1).join(', ')}) (header: ${shown})`,
    );
  if (!roles.step)
    throw new BundleError(
      file,
      headerLine,
      null,
      `missing required column 'step' (or ${STEP_COLUMNS.slice(1).join(', ')}) (header: ${shown})`,
    );
  const runCol = position.get(roles.run)!;
  const stepCol = position.get(roles.step)!;
  const groupCol = roles.group ? position.get(roles.group)! : -1;
  // Every other column is a value column, the step among them; text columns are known only at the end.
  const valueCols = header.map((_, j) => j).filter((j) => j !== indexCol && j !== runCol && j !== groupCol);
  const si = valueCols.indexOf(stepCol);
  const hasNumber = valueCols.map(() => false);
  // The first cell of each column (and for each run) that is not a number: text, or an error once numbers show up.
  const firstText: ({ line: number; raw: string } | undefined)[] = valueCols.map(() => undefined);
  const textByRun = valueCols.map(() => new Map<string, { line: number; raw: string }>());
  const byRun = new Map<string, RunRows>();
  const defaultGroup = groupOf(file);
  const fail = (run: RunRows, error: BundleError) => {
    if (!run.problem || (error.line ?? 0) < (run.problem.line ?? 0)) run.problem = error;
  };
  let nRows = 0;
  for (const { line, cells } of records) {
    nRows++;
    const ragged = cells.length !== header.length;
    const raggedError = () =>
      new BundleError(
        file,
        line,
        Math.min(cells.length, header.length) + 1,
        `${cells.length} cells but the header has ${header.length} columns`,
      );
    const id = cells[runCol]?.trim() ?? '';
    if (id === '') {
      if (ragged) throw raggedError();
      throw new BundleError(file, line, runCol + 1, `empty ${quoted(roles.run)} cell`);
    }
    const group = groupCol >= 0 ? cells[groupCol]?.trim() || defaultGroup : defaultGroup;
    const key = JSON.stringify([group, id]);
    let run = byRun.get(key);
    if (!run) byRun.set(key, (run = { group, id, rows: [], steps: new Map() }));
    if (ragged) {
      fail(run, raggedError());
      continue;
    }
    if (run.problem) continue;
    const values = valueCols.map((j, ci) => {
      const raw = cells[j];
      const v = parseNumberCell(raw);
      if (v !== null) {
        if (raw.trim() !== '') hasNumber[ci] = true;
        return v;
      }
      firstText[ci] ??= { line, raw };
      if (!textByRun[ci].has(key)) textByRun[ci].set(key, { line, raw });
      return NaN;
    });
    const step = values[si];
    const stepRaw = cells[stepCol];
    if (parseNumberCell(stepRaw) === null || !Number.isInteger(step) || step < 0) {
      fail(
        run,
        new BundleError(
          file,
          line,
          stepCol + 1,
          `${roles.step} must be a non-negative whole number, got ${quoted(stepRaw)}`,
        ),
      );
      continue;
    }
    const seen = run.steps.get(step);
    if (seen !== undefined) {
      fail(
        run,
        new BundleError(file, line, stepCol + 1, `run ${quoted(id)} has step ${step} twice (first on line ${seen})`),
      );
      continue;
    }
    const last = run.rows[run.rows.length - 1];
    if (!run.outOfOrder && last && step < last.values[si]) run.outOfOrder = { line, step, after: last.values[si] };
    run.steps.set(step, line);
    run.rows.push({ line, values });
  }
  if (nRows === 0) throw new BundleError(file, null, null, 'the header is there but no checkpoint rows follow');
  const textColumns: LongTable['textColumns'] = [];
  const kept: number[] = [];
  valueCols.forEach((j, ci) => {
    const t = firstText[ci];
    if (ci === si || !t) return kept.push(ci);
    if (!hasNumber[ci]) return textColumns.push({ name: header[j], line: t.line, cell: t.raw });
    kept.push(ci);
    for (const [key, { line, raw }] of textByRun[ci])
      fail(byRun.get(key)!, notNumber(file, line, j, raw, header[j], delimiter));
  });
  const names = kept.filter((ci) => ci !== si).map((ci) => header[valueCols[ci]]);
  const ours = delimiter === ',' && roles.run === 'run' && roles.step === 'step';
  const renames = aliasesFor(names, !ours);
  const target = new Map(names.map((n) => [n, n]));
  for (const r of renames) target.set(r.from, r.to);
  const owner = new Map<string, string>();
  for (const n of names) {
    const to = target.get(n)!;
    const other = owner.get(to);
    if (other !== undefined || to === 'step')
      throw new BundleError(
        file,
        headerLine,
        position.get(n)! + 1,
        `column ${quoted(n)} and column ${quoted(other ?? roles.step)} would both be '${to}' (${renames.find((r) => r.to === to)?.tool ?? 'our name'})`,
      );
    owner.set(to, n);
  }
  const badRuns: BadRun[] = [];
  const groups = new Map<string, RunGroup>();
  const notes: BundleNote[] = [];
  for (const run of byRun.values()) {
    if (run.problem) {
      badRuns.push({ group: run.group, run: run.id, error: run.problem });
      continue;
    }
    if (run.outOfOrder) {
      const o = run.outOfOrder;
      notes.push({
        kind: 'steps-reordered',
        group: run.group,
        run: run.id,
        message: `run ${quoted(run.id)}: rows were not in step order (line ${o.line}: step ${o.step} after step ${o.after}); they were sorted by step`,
      });
      run.rows.sort((a, b) => a.values[si] - b.values[si]);
    }
    const checkpoints = newCheckpoints();
    for (const ci of kept) {
      const name = ci === si ? 'step' : target.get(header[valueCols[ci]])!;
      checkpoints[name] = run.rows.map((r) => r.values[ci]);
    }
    const g = groups.get(run.group) ?? { name: run.group, config: {}, runs: [] };
    const seed = roles.run === 'seed' && /^\d+$/.test(run.id) ? Number(run.id) : undefined;
    g.runs.push(seed === undefined ? { id: run.id, checkpoints } : { id: run.id, seed, checkpoints });
    groups.set(run.group, g);
  }
  badRuns.sort((a, b) => (a.error.line ?? 0) - (b.error.line ?? 0));
  if (groups.size === 0) throw badRuns[0].error;
  const bundle: RunBundle = { format: RUN_BUNDLE_FORMAT, groups: [...groups.values()] };
  if (notes.length) bundle.notes = notes;
  return {
    bundle,
    delimiter,
    delimiterCounts: counts,
    runColumn: roles.run,
    stepColumn: roles.step,
    groupColumn: roles.group ?? null,
    indexColumn: indexCol === 0 ? header[0] : null,
    textColumns,
    renames,
    badRuns,
  };
}
