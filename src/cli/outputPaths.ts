/**
 * Where `trainmap analyze` and `trainmap run` write, checked before any work starts: the analysis and its figure
 * may not replace the input bundle (same path, or the same file by another name or link), and every output must
 * go where a file can actually be created, proven by creating (and removing) one there.
 */
import { closeSync, mkdtempSync, openSync, rmdirSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { safeText } from '../io/index.ts';
import { UsageError } from './args.ts';

/** `runs.csv` → `runs.analysis.json`; an exported analysis keeps its name (`x.analysis.json`), which checkOutputs then refuses. */
export function defaultOutput(input: string): string {
  return input.replace(/\.gz$/i, '').replace(/(\.analysis)?\.(json|csv)$/i, '') + '.analysis.json';
}

/** The SVG figure beside the analysis. */
export function figurePath(out: string): string {
  return out.replace(/\.json$/i, '') + '.svg';
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Same file: the same resolved path, or (both existing) the same device and inode, which catches links and case-insensitive names. */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  const sa = statOrNull(a);
  const sb = statOrNull(b);
  return Boolean(sa && sb && sa.dev === sb.dev && sa.ino === sb.ino);
}

const show = (p: string) => safeText(p, 200);

/**
 * Refuses, before anything is read, an analysis path that names a directory or where the analysis or its figure
 * cannot be written; `input` (the first input) only serves the example name in the message.
 */
export function checkOutputPlace(out: string, input: string): void {
  if (/[\\/]$/.test(out) || statOrNull(out)?.isDirectory()) {
    throw new UsageError(
      `--out ${show(out)} is a directory; name the file to write, e.g. --out ${show(resolve(out, defaultOutput(input).replace(/^.*[\\/]/, '')))}`,
    );
  }
  proveWritable(out);
  proveWritable(figurePath(out));
}

/** Refuses outputs that would overwrite the input, naming both paths; `defaulted` when --out was not given. */
export function checkOutputs(input: string, out: string, defaulted: boolean): void {
  if (sameFile(input, out)) {
    throw new UsageError(
      defaulted
        ? `the default output ${show(out)} is the input ${show(input)} itself (an exported analysis); writing it would replace the input, so choose another name with --out`
        : `--out ${show(out)} is the input ${show(input)}; writing the analysis there would replace the bundle, so choose another --out`,
    );
  }
  const figure = figurePath(out);
  if (sameFile(input, figure)) {
    throw new UsageError(
      `the figure ${show(figure)} (beside --out ${show(out)}) would replace the input ${show(input)}; choose another --out`,
    );
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is not a directory',
};

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? `${code || 'error'}: ${(e as Error).message}`;
}

/**
 * Proves that `file` can be written as the atomic writer does it (folders created, then a temporary beside the
 * file renamed over it): a probe file is created and removed in its folder, or, when that folder does not exist
 * yet, a probe folder in the nearest folder that does. Refuses with the path and the reason otherwise.
 */
export function proveWritable(file: string): void {
  const folder = dirname(resolve(file));
  let base = folder;
  let st = statOrNull(base);
  while (!st && dirname(base) !== base) st = statOrNull((base = dirname(base)));
  if (st && !st.isDirectory())
    throw new UsageError(`cannot write ${show(file)}: ${show(base)} is a file, not a directory`);
  const tag = `.trainmap-probe-${process.pid}-`;
  try {
    if (base === folder) {
      const probe = join(folder, `${tag}${basename(file)}`);
      closeSync(openSync(probe, 'wx'));
      unlinkSync(probe);
    } else rmdirSync(mkdtempSync(join(base, tag)));
  } catch (e) {
    throw new UsageError(
      base === folder
        ? `cannot write ${show(file)}: its folder ${show(folder)} does not accept a new file (${reason(e)})`
        : `cannot write ${show(file)}: its folder ${show(folder)} does not exist and cannot be created in ${show(base)} (${reason(e)})`,
    );
  }
}
