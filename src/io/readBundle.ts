import { BundleError } from './bundleError.ts';
import { parseRunsCsv } from './csvBundle.ts';
import { parseRunsJson } from './jsonBundle.ts';
import type { RunBundle } from './runBundle.ts';

/** Parses a bundle by its file name's ending (.csv or .json); content sniffing when the name says neither. */
export function readBundleText(text: string, file: string): RunBundle {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return parseRunsCsv(text, file);
  if (lower.endsWith('.json')) return parseRunsJson(text, file);
  const head = text.trimStart();
  if (head.startsWith('{')) return parseRunsJson(text, file);
  if (head.length > 0) return parseRunsCsv(text, file);
  throw new BundleError(file, null, null, 'the file is empty');
}
