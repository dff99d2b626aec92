/**
 * Files in, one bundle out, for the CLI and the page alike: importFiles over the files' bytes, each decompressed first
 * when it is gzip (a file that does not decompress is a problem like any other). Every failure names its file and
 * where in it; see importFiles for what is refused and what `skipBad` lets through.
 */
import { BundleError } from './bundleError.ts';
import { gunzipBundle, isGzip } from './decodeText.ts';
import {
  ImportError,
  importFiles,
  type ImportOptions,
  type ImportProblem,
  type ImportResult,
  type InputFile,
} from './importFiles.ts';

export interface ByteFile {
  name: string;
  bytes: Uint8Array;
}

export async function importBytes(
  files: readonly ByteFile[],
  group?: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const inputs: InputFile[] = [];
  const problems: ImportProblem[] = [];
  for (const f of files) {
    if (!isGzip(f.bytes)) {
      inputs.push(f);
      continue;
    }
    try {
      inputs.push({ name: f.name, bytes: await gunzipBundle(f.bytes, f.name) });
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
      problems.push({ file: f.name, message: e.message });
    }
  }
  if (inputs.length === 0) throw new ImportError(problems, 0);
  return importFiles(inputs, group, { ...options, problems });
}
