/**
 * Where `trainmap analyze` writes, checked before any work starts: the analysis and its figure may not
 * replace the input bundle (same path, or the same file by another name or link), and --out must name a
 * file in a place where one can be created.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/** Refuses outputs that would overwrite the input or cannot be files, naming both paths; `defaulted` when --out was not given. */
export function checkOutputs(input: string, out: string, defaulted: boolean): void {
  const outStat = statOrNull(out);
  if (/[\\/]$/.test(out) || outStat?.isDirectory()) {
    throw new UsageError(
      `--out ${show(out)} is a directory; name the file to write, e.g. --out ${show(resolve(out, defaultOutput(input).replace(/^.*[\\/]/, '')))}`,
    );
  }
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
  // The nearest existing ancestor must be a directory, or the writes would fail after the whole analysis.
  for (let dir = dirname(resolve(out)); ; dir = dirname(dir)) {
    const st = statOrNull(dir);
    if (st) {
      if (!st.isDirectory()) throw new UsageError(`cannot write ${show(out)}: ${show(dir)} is a file, not a directory`);
      break;
    }
    if (dirname(dir) === dir) break;
  }
}
