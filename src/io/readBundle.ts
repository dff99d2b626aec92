import { BundleError } from './bundleError.ts';
import { parseRunsCsv } from './csvBundle.ts';
import { bundleText, gunzipBundle } from './decodeText.ts';
import { detectFormat, importFiles } from './importFiles.ts';
import { parseRunsJson } from './jsonBundle.ts';
import type { RunBundle } from './runBundle.ts';

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

/**
 * A long table (our CSV among them) with its own messages; any other delimited format another tool writes (the authors'
 * per-run CSV, a TensorBoard or W&B export) through importFiles.
 */
function readCsv(text: string, file: string): RunBundle {
  let format;
  try {
    format = detectFormat({ name: file, text });
  } catch {
    return parseRunsCsv(text, file); // our reader says what a long table lacks
  }
  if (format === 'trainmap-csv' || format === 'long-table') return parseRunsCsv(text, file);
  return importFiles([{ name: file, text }]).bundle;
}
