import { BundleError } from './bundleError.ts';

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  cells: string[];
}

/** RFC 4180 records of a CSV text with the line each starts on; blank lines are skipped, a BOM is dropped. */
export function* csvRecordsOf(text: string, file: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
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

/** The header of a CSV text (trimmed cells), or null when the text has no records. */
export function csvHeaderOf(text: string, file: string): CsvRecord | null {
  const first = csvRecordsOf(text, file).next();
  return first.done ? null : { line: first.value.line, cells: first.value.cells.map((c) => c.trim()) };
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
