import { safeMessage, safeText } from './safeText.ts';

/**
 * A problem in an input file, located precisely enough to fix it by hand: by line and column in a text file, by byte
 * offset in a binary one. The message is one line under 1 KB with every control character escaped (safeText),
 * whatever the file name or the detail hold.
 */
export class BundleError extends Error {
  readonly file: string;
  readonly detail: string;
  constructor(
    file: string,
    readonly line: number | null,
    readonly column: number | null,
    detail: string,
    readonly byte: number | null = null,
  ) {
    const shownFile = safeText(file, 200);
    const safeDetail = safeMessage(detail);
    const where = byte !== null ? `, byte ${byte}` : '';
    super(
      safeMessage(
        `${shownFile}${line !== null ? `, line ${line}` : ''}${column !== null ? `, column ${column}` : ''}${where}: ${safeDetail}`,
      ),
    );
    this.name = 'BundleError';
    this.file = file;
    this.detail = safeDetail;
  }
}

/** 1-based line and column of a character offset (a line ends at \n, \r\n or a lone \r). */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}
