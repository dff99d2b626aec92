/** Whole-file writes that a crash or a failure never leaves half done, and never leave a temporary behind. */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

const TEMP_MARK = '.tmp-';

/**
 * Writes `file` through a temporary beside it and a rename, so readers see the old file or the new one;
 * on any failure the temporary is removed and the error names `file`.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}${TEMP_MARK}${process.pid}-${counter++}`;
  try {
    const fd = openSync(tmp, 'wx');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      // On disk before the rename, so a power cut cannot leave the new name pointing at missing data.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`could not write ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Deletes temporaries of `file` left by writers that were killed mid-write (this process's own are
 * never left). Only call it while holding the file's lock. Returns the names removed.
 */
export function removeStaleTemporaries(file: string): string[] {
  const dir = dirname(file);
  const prefix = basename(file) + TEMP_MARK;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}
