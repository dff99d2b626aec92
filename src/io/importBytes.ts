/**
 * Files in, one bundle out, for the CLI and the page alike: a single bundle file (our CSV or JSON, an exported
 * analysis, gzipped or not, UTF-8 or UTF-16), or one or more per-run files of another tool (the authors' CSVs,
 * TensorBoard exports). Every failure is a BundleError naming the file, line and column.
 */
import { bundleText, isGzip } from './decodeText.ts';
import { importFiles, type ImportResult } from './importFiles.ts';
import { readBundle } from './readBundle.ts';

export interface ByteFile {
  name: string;
  bytes: Uint8Array;
}

export async function importBytes(files: readonly ByteFile[], group?: string): Promise<ImportResult> {
  if (files.length === 1) {
    const [{ name, bytes }] = files;
    // JSON (maybe gzipped) is ours; a CSV may be ours or another tool's, which importFiles recognizes.
    if (/\.json(\.gz)?$/i.test(name) || isGzip(bytes)) {
      const bundle = await readBundle(bytes, name);
      return { bundle, format: 'trainmap-json', mapping: [], notes: [] };
    }
  }
  return importFiles(
    files.map((f) => ({ name: f.name, text: bundleText(f.bytes, f.name) })),
    group,
  );
}
