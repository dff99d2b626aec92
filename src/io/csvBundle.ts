import { readLongTable } from './longTable.ts';
import type { RunBundle } from './runBundle.ts';

export { parseNumberCell } from './csvRecords.ts';

const TEXT_COLUMNS = new Set(['run', 'group']);

/**
 * Reads the long CSV format from text or bytes (see decodeText.ts): one row per checkpoint, header `run,step,<columns…>`
 * (optional `group`), or any long table longTable.ts reads. Strict: the first problem in any run's rows is thrown.
 */
export function parseRunsCsv(input: string | Uint8Array, file: string): RunBundle {
  const table = readLongTable(input, file);
  if (table.badRuns.length) throw table.badRuns[0].error;
  return table.bundle;
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
