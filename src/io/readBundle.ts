import { isAuthorsHeader } from './authorsCsv.ts';
import { BundleError } from './bundleError.ts';
import { parseRunsCsv } from './csvBundle.ts';
import { csvHeaderOf } from './csvRecords.ts';
import { importFiles } from './importFiles.ts';
import { parseRunsJson } from './jsonBundle.ts';
import type { RunBundle } from './runBundle.ts';
import { isTensorboardHeader } from './tensorboardCsv.ts';

/** Parses a bundle by its file name's ending (.csv or .json); content sniffing when the name says neither. */
export function readBundleText(text: string, file: string): RunBundle {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return readCsv(text, file);
  if (lower.endsWith('.json')) return parseRunsJson(text, file);
  const head = text.trimStart();
  if (head.startsWith('{')) return parseRunsJson(text, file);
  if (head.length > 0) return readCsv(text, file);
  throw new BundleError(file, null, null, 'the file is empty');
}

/** A single authors' per-run CSV or TensorBoard export is read as a one-run bundle (see importFiles). */
function readCsv(text: string, file: string): RunBundle {
  const header = text.trim() ? csvHeaderOf(text, file) : null;
  if (header && (isTensorboardHeader(header.cells) || isAuthorsHeader(header.cells))) return importFiles([{ name: file, text }]).bundle;
  return parseRunsCsv(text, file);
}
