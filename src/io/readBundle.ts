import { isAuthorsHeader } from './authorsCsv.ts';
import { BundleError } from './bundleError.ts';
import { parseRunsCsv } from './csvBundle.ts';
import { csvHeaderOf } from './csvRecords.ts';
import { bundleText, gunzipBundle } from './decodeText.ts';
import { importFiles } from './importFiles.ts';
import { parseRunsJson } from './jsonBundle.ts';
import type { RunBundle } from './runBundle.ts';
import { isTensorboardHeader } from './tensorboardCsv.ts';

/**
 * Parses a bundle by its file name's ending (.csv or .json, before any .gz); content sniffing when the name
 * says neither. Text or bytes (UTF-8, UTF-16; gzip needs the asynchronous readBundle).
 */
export function readBundleText(input: string | Uint8Array, file: string): RunBundle {
  const text = bundleText(input, file);
  const lower = file.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.csv')) return readCsv(text, file);
  if (lower.endsWith('.json')) return parseRunsJson(text, file);
  const head = text.trimStart();
  if (head.startsWith('{')) return parseRunsJson(text, file);
  if (head.length > 0) return readCsv(text, file);
  throw new BundleError(file, null, null, 'the file is empty');
}

/** A bundle from a file's bytes (or text), gzip-compressed or not: the one entry point for the CLI and the page. */
export async function readBundle(input: string | Uint8Array, file: string): Promise<RunBundle> {
  return readBundleText(typeof input === 'string' ? input : await gunzipBundle(input, file), file);
}

/** A single authors' per-run CSV or TensorBoard export is read as a one-run bundle (see importFiles). */
function readCsv(text: string, file: string): RunBundle {
  const header = text.trim() ? csvHeaderOf(text, file) : null;
  if (header && (isTensorboardHeader(header.cells) || isAuthorsHeader(header.cells)))
    return importFiles([{ name: file, text }]).bundle;
  return parseRunsCsv(text, file);
}
