/**
 * The page's side of importing: files from a picker, a folder picker or a drop (folders walked, each file named by its
 * path below what was dropped, as TensorBoard names runs), their bytes handed to the import worker, its progress
 * relayed and its result returned. One worker per import.
 */
import type { ByteFile } from '../io/importBytes.ts';
import type { ImportReply } from '../workers/protocol.ts';
import { workerAnswer } from './workerAnswer.ts';

export type Imported = Extract<ImportReply, { type: 'imported' }>;

/** Paths of files that came from a dropped folder (a File's own name holds no folder). */
const dropped = new WeakMap<File, string>();

/** A file's path as the import sees it: below the folder picked or dropped, or its bare name. */
export function importPath(file: File): string {
  return dropped.get(file) ?? (file.webkitRelativePath || file.name);
}

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries hands a folder over in batches (100 at a time in Chromium) until it returns none.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
    dropped.set(file, entry.fullPath.replace(/^\//, ''));
    out.push(file);
  } else if (entry.isDirectory) {
    for (const child of await readEntries(entry as FileSystemDirectoryEntry)) await walk(child, out);
  }
}

/** Every file of a drop, folders walked; plain files where the browser gives no entries. */
export async function filesFromDrop(data: DataTransfer | null): Promise<File[]> {
  if (!data) return [];
  const entries = [...data.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...data.files];
  const out: File[] = [];
  for (const e of entries) await walk(e, out);
  return out;
}

/** The files' bytes, each named by its import path. */
export function readImportFiles(files: readonly File[]): Promise<ByteFile[]> {
  return Promise.all(files.map(async (f) => ({ name: importPath(f), bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/** The title of an import: the file, or how many, and the runs read (and left out). */
export function importTitle(files: readonly File[], result: Imported): string {
  const runs = result.bundle.groups.reduce((n, g) => n + g.runs.length, 0);
  const what = files.length === 1 ? importPath(files[0]) : `${files.length} files`;
  const left = result.skipped.length ? `; ${result.skipped.length} left out` : '';
  return `Imported: ${what} (${runs} run${runs === 1 ? '' : 's'}${left})`;
}

export function importInWorker(files: ByteFile[], onProgress: (message: string) => void): Promise<Imported> {
  const worker = new Worker(new URL('../workers/import.worker.ts', import.meta.url), {
    type: 'module',
    name: 'import',
  });
  const answer = workerAnswer<ImportReply, 'imported'>(
    worker,
    'imported',
    (m) => onProgress(m.message),
    'the import worker stopped',
  );
  worker.postMessage(
    { type: 'import', id: 1, files },
    files.map((f) => f.bytes.buffer as ArrayBuffer),
  );
  return answer;
}
