import { BundleError } from './bundleError.ts';
import { RUN_BUNDLE_FORMAT, type Checkpoints, type RunBundle, type RunGroup } from './runBundle.ts';

/** RFC 4180 records with the 1-based line each starts on. */
function* csvRecords(text: string, file: string): Generator<{ line: number; cells: string[] }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    for (;;) {
      if (text[i] === '"' && cell === '') {
        i++;
        for (;;) {
          if (i >= n) throw new BundleError(file, start, cells.length + 1, 'a quoted cell is never closed');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === '\n') line++;
          cell += text[i++];
        }
      }
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
      cells.push(cell);
      cell = '';
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    if (cells.length === 1 && cells[0].trim() === '') continue;
    yield { line: start, cells };
  }
}

const NON_FINITE: Record<string, number> = {
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
};

/** A numeric cell: empty means missing (NaN); nan/inf spellings are accepted; anything else is an error. */
export function parseNumberCell(raw: string): number | null {
  const s = raw.trim();
  if (s === '') return NaN;
  const special = NON_FINITE[s.toLowerCase()];
  if (special !== undefined) return special;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  return Number(s);
}

const TEXT_COLUMNS = new Set(['run', 'group']);

/** Reads the long CSV format: one row per checkpoint, header `run,step,<columns…>` (optional `group`). */
export function parseRunsCsv(text: string, file: string): RunBundle {
  const records = csvRecords(text, file);
  const first = records.next();
  if (first.done) throw new BundleError(file, null, null, 'the file is empty; expected a header like run,step,l1,l2,…');
  const header = first.value.cells.map((c) => c.trim());
  header.forEach((h, j) => {
    if (h === '') throw new BundleError(file, first.value.line, j + 1, 'empty column name in the header');
    const again = header.indexOf(h);
    if (again !== j) throw new BundleError(file, first.value.line, j + 1, `column '${h}' appears twice in the header (also column ${again + 1})`);
  });
  for (const required of ['run', 'step']) {
    if (!header.includes(required)) {
      throw new BundleError(file, first.value.line, null, `missing required column '${required}' (header: ${header.join(',')})`);
    }
  }
  const runCol = header.indexOf('run');
  const stepCol = header.indexOf('step');
  const groupCol = header.indexOf('group');
  const numeric = header.map((h, j) => (TEXT_COLUMNS.has(h) ? -1 : j)).filter((j) => j >= 0);
  type Row = { line: number; values: number[] };
  const byRun = new Map<string, { group: string; rows: Row[]; steps: Map<number, number> }>();
  const defaultGroup = file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'runs';
  let nRows = 0;
  for (const { line, cells } of records) {
    if (cells.length !== header.length) {
      throw new BundleError(file, line, Math.min(cells.length, header.length) + 1, `${cells.length} cells but the header has ${header.length} columns`);
    }
    const id = cells[runCol].trim();
    if (id === '') throw new BundleError(file, line, runCol + 1, "empty 'run' cell");
    const values = numeric.map((j) => {
      const v = parseNumberCell(cells[j]);
      if (v === null) throw new BundleError(file, line, j + 1, `'${cells[j]}' in column '${header[j]}' is not a number`);
      return v;
    });
    const step = values[numeric.indexOf(stepCol)];
    if (!Number.isFinite(step) || !Number.isInteger(step) || step < 0) {
      throw new BundleError(file, line, stepCol + 1, `step must be a non-negative whole number, got '${cells[stepCol]}'`);
    }
    const group = groupCol >= 0 ? cells[groupCol].trim() || defaultGroup : defaultGroup;
    const key = `${group}\u0000${id}`;
    const run = byRun.get(key) ?? { group, rows: [], steps: new Map<number, number>() };
    const seen = run.steps.get(step);
    if (seen !== undefined) throw new BundleError(file, line, stepCol + 1, `run '${id}' has step ${step} twice (first on line ${seen})`);
    run.steps.set(step, line);
    run.rows.push({ line, values });
    byRun.set(key, run);
    nRows++;
  }
  if (nRows === 0) throw new BundleError(file, null, null, 'the header is there but no checkpoint rows follow');
  const groups = new Map<string, RunGroup>();
  for (const [key, run] of byRun) {
    const id = key.split('\u0000')[1];
    const si = numeric.indexOf(stepCol);
    run.rows.sort((a, b) => a.values[si] - b.values[si]);
    const checkpoints = { step: [] } as unknown as Checkpoints;
    numeric.forEach((j, ci) => (checkpoints[header[j]] = run.rows.map((r) => r.values[ci])));
    const g = groups.get(run.group) ?? { name: run.group, config: {}, runs: [] };
    g.runs.push({ id, checkpoints });
    groups.set(run.group, g);
  }
  return { format: RUN_BUNDLE_FORMAT, groups: [...groups.values()] };
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
  const columns: string[] = [];
  for (const { run } of runs) for (const c of Object.keys(run.checkpoints)) if (c !== 'step' && !columns.includes(c)) columns.push(c);
  const withGroup = bundle.groups.length > 1;
  const lines = [[...(withGroup ? ['group'] : []), 'run', 'step', ...columns].join(',')];
  for (const { group, run } of runs) {
    const cp = run.checkpoints;
    for (let t = 0; t < cp.step.length; t++) {
      const cells = [...(withGroup ? [quote(group)] : []), quote(run.id), String(cp.step[t])];
      for (const c of columns) cells.push(cp[c] ? formatCell(cp[c][t]) : '');
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}
