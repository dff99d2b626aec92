import { BundleError } from './bundleError.ts';

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  cells: string[];
}

/** The delimiters a long table may use, as the header shows them. */
export type Delimiter = ',' | '\t' | ';';

export const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon' };

/**
 * The delimiter of a delimited text, from its header line (the first line that is not blank): the one of comma, tab
 * and semicolon that occurs most often outside quotes; comma when none occurs or on a tie with comma.
 */
export function detectDelimiter(text: string): { delimiter: Delimiter; counts: Record<Delimiter, number> } {
  const counts: Record<Delimiter, number> = { ',': 0, '\t': 0, ';': 0 };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length && (text[i] === '\n' || text[i] === '\r' || text[i] === ' ')) i++;
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === '\t' || c === ';')) counts[c]++;
  }
  let delimiter: Delimiter = ',';
  for (const d of ['\t', ';'] as const) if (counts[d] > counts[delimiter]) delimiter = d;
  return { delimiter, counts };
}

/**
 * RFC 4180 records of a delimited text with the 1-based line each starts on: a record ends at \n, \r\n or a lone
 * \r; a cell that begins with `"` is quoted (`""` inside is a quote; it may hold delimiters and line breaks). Blank
 * lines are skipped and a byte-order mark is dropped.
 */
export function* csvRecordsOf(text: string, file: string, delimiter: Delimiter = ','): Generator<CsvRecord> {
  const sep = delimiter.charCodeAt(0);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text.charCodeAt(i) === 34 /* " */) {
        i++;
        let from = i;
        for (;;) {
          if (i >= n) throw new BundleError(file, start, cells.length + 1, 'a quoted cell is never closed');
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
        if (c === sep || c === 10 || c === 13) break;
      }
      cells.push(from === i ? cell : cell + text.slice(from, i));
      if (text.charCodeAt(i) === sep) {
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

/** The header of a delimited text (trimmed cells), or null when the text has no records. */
export function csvHeaderOf(text: string, file: string, delimiter: Delimiter = ','): CsvRecord | null {
  const first = csvRecordsOf(text, file, delimiter).next();
  return first.done ? null : { line: first.value.line, cells: first.value.cells.map((c) => c.trim()) };
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

/** The last part of a path (either separator), and that without its extension. */
export function baseName(path: string): string {
  return path.replace(/[\\/]+$/, '').replace(/^.*[\\/]/, '');
}

export function stem(path: string): string {
  return baseName(path).replace(/\.[^.]*$/, '');
}

/** The folder all the paths lie in (as written, '' when none is shared), and each path below it. */
export function relativeToCommonFolder(paths: readonly string[]): { folder: string; relative: string[] } {
  const split = paths.map((p) => p.split(/[\\/]/));
  const dirs = split.map((parts) => parts.slice(0, -1));
  let n = 0;
  while (dirs.every((d) => n < d.length && d[n] === dirs[0][n])) n++;
  return {
    folder: dirs.length ? dirs[0].slice(0, n).join('/') : '',
    relative: split.map((parts) => parts.slice(n).join('/')),
  };
}

/** Compares names so that seed2 sorts before seed10. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const na = Number(pa[i]);
    const nb = Number(pb[i]);
    if (i % 2 === 1 && Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
    return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}
