import { BundleError } from './bundleError.ts';
import { bundleText } from './decodeText.ts';
import { newCheckpoints, RUN_BUNDLE_FORMAT, type BundleNote, type RunBundle, type RunGroup } from './runBundle.ts';
import { quoted, safeText } from './safeText.ts';

/** RFC 4180 records with the 1-based line each starts on. */
function* csvRecords(text: string, file: string): Generator<{ line: number; cells: string[] }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text.charCodeAt(i) === 34 /* " */) {
        const open = line;
        i++;
        let from = i;
        for (;;) {
          if (i >= n) throw new BundleError(file, open, cells.length + 1, 'a quoted cell is never closed');
          const c = text.charCodeAt(i);
          if (c === 34) {
            cell += text.slice(from, i);
            if (text.charCodeAt(i + 1) === 34) {
              cell += '"';
              i += 2;
              from = i;
              continue;
            }
            i++;
            break;
          }
          if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
          i++;
        }
      }
      const from = i;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === 44 /* , */ || c === 10 || c === 13) break;
      }
      cells.push(from === i ? cell : cell + text.slice(from, i));
      if (text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      if (text.charCodeAt(i) === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      line++;
      break;
    }
    if (cells.length === 1 && cells[0].trim() === '') continue;
    yield { line: start, cells };
  }
}

const NON_FINITE = new Map<string, number>([
  ['nan', NaN],
  ['+nan', NaN],
  ['-nan', NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['infinity', Infinity],
  ['+infinity', Infinity],
  ['-inf', -Infinity],
  ['-infinity', -Infinity],
]);

/** A numeric cell: empty means missing (NaN); nan/inf spellings are accepted; anything else is an error. */
export function parseNumberCell(raw: string): number | null {
  const s = raw.trim();
  if (s === '') return NaN;
  const special = NON_FINITE.get(s.toLowerCase());
  if (special !== undefined) return special;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  return Number(s);
}

const TEXT_COLUMNS = new Set(['run', 'group']);

/**
 * Reads the long CSV format from text or bytes (see decodeText.ts): one row per checkpoint, header
 * `run,step,<columns…>` (optional `group`). Columns are kept under any name, `__proto__` included.
 */
export function parseRunsCsv(input: string | Uint8Array, file: string): RunBundle {
  const text = bundleText(input, file);
  const records = csvRecords(text, file);
  const first = records.next();
  if (first.done) throw new BundleError(file, null, null, 'the file is empty; expected a header like run,step,l1,l2,…');
  const header = first.value.cells.map((c) => c.trim());
  const position = new Map<string, number>();
  header.forEach((h, j) => {
    if (h === '') throw new BundleError(file, first.value.line, j + 1, 'empty column name in the header');
    const again = position.get(h);
    if (again !== undefined)
      throw new BundleError(
        file,
        first.value.line,
        j + 1,
        `column ${quoted(h)} appears twice in the header (also column ${again + 1})`,
      );
    position.set(h, j);
  });
  for (const required of ['run', 'step']) {
    if (!position.has(required)) {
      throw new BundleError(
        file,
        first.value.line,
        null,
        `missing required column '${required}' (header: ${safeText(header.join(','), 160)})`,
      );
    }
  }
  const runCol = position.get('run')!;
  const stepCol = position.get('step')!;
  const groupCol = position.get('group') ?? -1;
  const numeric = header.map((h, j) => (TEXT_COLUMNS.has(h) ? -1 : j)).filter((j) => j >= 0);
  const si = numeric.indexOf(stepCol);
  type Row = { line: number; values: number[] };
  type RunRows = {
    group: string;
    id: string;
    rows: Row[];
    steps: Map<number, number>;
    outOfOrder?: { line: number; step: number; after: number };
  };
  const byRun = new Map<string, RunRows>();
  const defaultGroup = file.replace(/^.*[\\/]/, '').replace(/(\.[^.]*)?(\.gz)?$/i, '') || 'runs';
  let nRows = 0;
  for (const { line, cells } of records) {
    if (cells.length !== header.length) {
      throw new BundleError(
        file,
        line,
        Math.min(cells.length, header.length) + 1,
        `${cells.length} cells but the header has ${header.length} columns`,
      );
    }
    const id = cells[runCol].trim();
    if (id === '') throw new BundleError(file, line, runCol + 1, "empty 'run' cell");
    const values = numeric.map((j) => {
      const v = parseNumberCell(cells[j]);
      if (v === null)
        throw new BundleError(file, line, j + 1, `${quoted(cells[j])} in column ${quoted(header[j])} is not a number`);
      return v;
    });
    const step = values[si];
    if (!Number.isFinite(step) || !Number.isInteger(step) || step < 0) {
      throw new BundleError(
        file,
        line,
        stepCol + 1,
        `step must be a non-negative whole number, got ${quoted(cells[stepCol])}`,
      );
    }
    const group = groupCol >= 0 ? cells[groupCol].trim() || defaultGroup : defaultGroup;
    const key = JSON.stringify([group, id]);
    const run = byRun.get(key) ?? { group, id, rows: [], steps: new Map<number, number>() };
    const seen = run.steps.get(step);
    if (seen !== undefined)
      throw new BundleError(
        file,
        line,
        stepCol + 1,
        `run ${quoted(id)} has step ${step} twice (first on line ${seen})`,
      );
    const last = run.rows[run.rows.length - 1];
    if (!run.outOfOrder && last && step < last.values[si]) run.outOfOrder = { line, step, after: last.values[si] };
    run.steps.set(step, line);
    run.rows.push({ line, values });
    byRun.set(key, run);
    nRows++;
  }
  if (nRows === 0) throw new BundleError(file, null, null, 'the header is there but no checkpoint rows follow');
  const groups = new Map<string, RunGroup>();
  const notes: BundleNote[] = [];
  for (const run of byRun.values()) {
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
    numeric.forEach((j, ci) => (checkpoints[header[j]] = run.rows.map((r) => r.values[ci])));
    const g = groups.get(run.group) ?? { name: run.group, config: {}, runs: [] };
    g.runs.push({ id: run.id, checkpoints });
    groups.set(run.group, g);
  }
  const bundle: RunBundle = { format: RUN_BUNDLE_FORMAT, groups: [...groups.values()] };
  if (notes.length) bundle.notes = notes;
  return bundle;
}

function formatCell(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes the long CSV format; a `group` column is added when the bundle has more than one group. */
export function formatRunsCsv(bundle: RunBundle): string {
  const runs = bundle.groups.flatMap((g) => g.runs.map((r) => ({ group: g.name, run: r })));
  const seen = new Set<string>(['step']);
  const columns: string[] = [];
  for (const { run } of runs) {
    for (const c of Object.keys(run.checkpoints)) {
      if (!seen.has(c)) columns.push(c);
      seen.add(c);
    }
  }
  const clash = columns.find((c) => TEXT_COLUMNS.has(c));
  if (clash)
    throw new Error(
      `a checkpoint column is named '${clash}', which the CSV format reserves for run names; write JSON instead`,
    );
  const withGroup = bundle.groups.length > 1;
  const lines = [[...(withGroup ? ['group'] : []), 'run', 'step', ...columns.map(quote)].join(',')];
  for (const { group, run } of runs) {
    const cp = run.checkpoints;
    for (let t = 0; t < cp.step.length; t++) {
      const cells = [...(withGroup ? [quote(group)] : []), quote(run.id), String(cp.step[t])];
      for (const c of columns) cells.push(Object.hasOwn(cp, c) ? formatCell(cp[c][t]) : '');
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}
