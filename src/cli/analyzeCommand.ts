import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  analyzeRuns,
  analyzeRunsWith,
  previousFitOf,
  type AnalysisProgress,
  type AnalysisStep,
  type AnalyzeOptions,
  type HMMParams,
} from '../analysis/index.ts';
import { importBytes } from '../io/importBytes.ts';
import {
  formatRunsJson,
  ImportError,
  isEventFileName,
  naturalCompare,
  readBundle,
  safeText,
  type ImportProblem,
  type RunBundle,
} from '../io/index.ts';
import {
  ANALYSIS_SETTINGS,
  ANALYZE_CLI_SETTINGS,
  analyzeOptions,
  SettingError,
  type SettingSpec,
} from '../settings/index.ts';
import { UsageError, type Flags } from './args.ts';
import { defaultWorkerCount, workerFitRunner } from './fitPool.ts';
import { formatDuration, ProgressLine } from './progressLine.ts';
import { formatSummary } from './summary.ts';
import { analysisFigureSvg } from '../render/analysisFigure.ts';
import { writeFileAtomic } from './atomicFile.ts';
import { checkOutputPlace, checkOutputs, defaultOutput, figurePath } from './outputPaths.ts';

export { writeFileAtomic };

/** Partial imports: analyze what can be read, listing what cannot (by default any unreadable file or run refuses all). */
const SKIP_BAD: SettingSpec = {
  name: 'skip-bad',
  type: 'boolean',
  help: 'analyze the files and runs that can be read, listing each one that cannot and why (default: refuse the import)',
  surface: 'cli',
};

export const ANALYZE_FLAGS: readonly SettingSpec[] = [...ANALYSIS_SETTINGS, ...ANALYZE_CLI_SETTINGS, SKIP_BAD];

/** A file's bytes, or an error that says in words why they cannot be read (`what` names the file's role). */
export function readBytes(file: string, what = 'the bundle'): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      { ENOENT: 'no such file', EISDIR: 'a directory, not a file', EACCES: 'permission denied' }[code ?? ''] ??
      `cannot read (${code ?? e})`;
    throw new Error(`${safeText(file, 200)}: ${why}${code === 'ENOENT' && what !== 'the bundle' ? ` (${what})` : ''}`, {
      cause: e,
    });
  }
}

async function previousFit(file: string): Promise<{ params: HMMParams; features: string[] }> {
  return previousFitOf(await readBundle(readBytes(file, 'given as --previous'), file), file);
}

export async function analysisOptionsFromFlags(flags: Flags): Promise<AnalyzeOptions> {
  let options: AnalyzeOptions;
  try {
    options = analyzeOptions(flags);
  } catch (e) {
    throw e instanceof SettingError ? new UsageError(e.message) : e;
  }
  return { ...options, previous: flags.previous ? await previousFit(String(flags.previous)) : undefined };
}

const STEP_TEXT: Record<AnalysisStep, string> = {
  'shown-fit': 'decoding every run with Viterbi under the shown fit',
  restarts: 'decoding the restarts at the chosen K and matching their states',
  'other-k': 'decoding the comparable fits at the other plausible K',
  map: 'building the map, regression and forecast',
  dissimilarity: 'computing the trajectory dissimilarities',
};

type FitProgress = Extract<AnalysisProgress, { job: unknown }>;
const isFitProgress = (p: AnalysisProgress): p is FitProgress => p.phase === 'select' || p.phase === 'stability';

function describeProgress(p: AnalysisProgress, started: number): string {
  if (!isFitProgress(p)) {
    const text = p.step
      ? STEP_TEXT[p.step]
      : { prepare: 'normalizing runs', decode: 'decoding', map: 'building the map' }[p.phase];
    return `${text}${p.done !== undefined && p.total !== undefined ? `: ${p.done}/${p.total}` : ''}…`;
  }
  const elapsed = (Date.now() - started) / 1000;
  const eta = (elapsed / p.done) * (p.total - p.done);
  const what =
    p.phase === 'stability'
      ? `stability: ${p.done}/${p.total} more restarts at K=${p.job.k}`
      : `model selection: ${p.done}/${p.total} fits`;
  const last =
    p.job.stage === 'bootstrap'
      ? `bootstrap replicate ${p.job.replicate}, K=${p.job.k}`
      : `K=${p.job.k}, restart ${p.job.restart}`;
  return `${what} (last ${last}: held-out LL ${p.heldOutLogLikelihood.toFixed(1)}), ${formatDuration(elapsed)} elapsed, ~${formatDuration(eta)} left`;
}

/** Analyzes a bundle already in memory: the step `trainmap run` hands over to, and what `analyze` does after reading. */
export async function analyzeAndReport(
  bundle: RunBundle,
  source: string,
  options: AnalyzeOptions,
  out: string,
  workers: number,
  print: { quiet?: boolean; forecast?: boolean } = {},
): Promise<void> {
  const progress = new ProgressLine();
  const started = Date.now();
  const phases = new PhaseClock();
  const opts: AnalyzeOptions = {
    ...options,
    onProgress: (p) => {
      const fitting = isFitProgress(p);
      phases.enter(p.phase, fitting ? p.total : 0);
      // A new step is shown at once; counts within a step as often as the line allows.
      progress.update(describeProgress(p, phases.since()), !fitting && !p.done);
    },
  };
  let report;
  if (workers > 0) {
    const runner = workerFitRunner(workers);
    try {
      report = await analyzeRunsWith(runner, bundle, opts);
    } finally {
      runner.close?.();
    }
  } else report = analyzeRuns(bundle, opts);
  phases.enter('end', 0);
  progress.done();
  const exported: RunBundle = { format: bundle.format, groups: bundle.groups, analysis: report };
  writeFileAtomic(out, formatRunsJson(exported));
  const figure = figurePath(out);
  writeFileAtomic(figure, analysisFigureSvg(report));
  if (!print.quiet) process.stdout.write(formatSummary(report, source, { forecast: print.forecast }) + '\n');
  process.stdout.write(
    `\nAnalysis written to ${safeText(out, 200)}, figure to ${safeText(figure, 200)} (${formatDuration((Date.now() - started) / 1000)}: ${phases.describe(workers)})\n`,
  );
}

/** Wall time of each phase that fitted models, for the closing line (the cost of the stability restarts). */
class PhaseClock {
  private current = '';
  private start = Date.now();
  private readonly spent: { phase: string; seconds: number; fits: number }[] = [];
  private fits = 0;
  enter(phase: string, fits: number): void {
    if (phase === this.current) return;
    if (this.current === 'select' || this.current === 'stability')
      this.spent.push({ phase: this.current, seconds: (Date.now() - this.start) / 1000, fits: this.fits });
    this.current = phase;
    this.start = Date.now();
    this.fits = fits;
  }
  since(): number {
    return this.start;
  }
  describe(workers: number): string {
    const threads = workers > 0 ? `${workers} worker thread${workers > 1 ? 's' : ''}` : 'this thread';
    const parts = this.spent.map(
      (s) => `${s.phase === 'select' ? 'model selection' : 'stability'} ${s.fits} fits in ${formatDuration(s.seconds)}`,
    );
    return `${parts.length ? parts.join(', ') : 'no fits'} on ${threads}`;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const TABLE = /\.(csv|tsv|json)(\.gz)?$/i;
/** How deep TensorBoard event files are looked for (logdir/run/train/events… is three levels). */
const EVENT_DEPTH = 6;

/**
 * The files of a folder that can hold runs: tables (.csv, .tsv, .json) at the top, .csv one folder down (TensorBoard
 * exports kept in a folder per run), and TensorBoard event files at any depth (a folder per run, as TensorBoard lays
 * them out). Earlier analyses written into the folder are left out.
 */
function listFolder(folder: string, depth = 0): { files: string[]; ignored: string[] } {
  const files: string[] = [];
  const ignored: string[] = [];
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => naturalCompare(a.name, b.name));
  for (const e of entries) {
    const path = join(folder, e.name);
    if (e.isDirectory()) {
      if (depth >= EVENT_DEPTH) continue;
      const below = listFolder(path, depth + 1);
      files.push(...below.files);
      ignored.push(...below.ignored);
    } else if (/\.analysis\.json$/i.test(e.name)) ignored.push(path);
    else if (isEventFileName(e.name) || (depth === 0 && TABLE.test(e.name)) || (depth === 1 && /\.csv$/i.test(e.name)))
      files.push(path);
    else ignored.push(path);
  }
  return { files, ignored };
}

/** What `analyze` will read and where its analysis goes by default, from the paths alone (folders listed, nothing read). */
export function planInputs(positional: readonly string[]): {
  paths: string[];
  source: string;
  out: string;
  group?: string;
  notes: string[];
} {
  if (positional.length === 0)
    throw new UsageError(
      'analyze takes a bundle file (.csv or .json), a folder of per-run files, or several files; got none',
    );
  if (positional.length === 1 && !isDirectory(positional[0]))
    return { paths: [positional[0]], source: positional[0], out: defaultOutput(positional[0]), notes: [] };
  const notes: string[] = [];
  const paths: string[] = [];
  for (const p of positional) {
    if (isDirectory(p)) {
      const { files, ignored } = listFolder(p);
      if (files.length === 0)
        throw new Error(`${p}: no .csv, .tsv or .json files, and no TensorBoard event files, in this folder`);
      paths.push(...files);
      if (ignored.length)
        notes.push(
          `left out ${ignored.length > 1 ? `${ignored.length} files that hold` : '1 file that holds'} no runs: ${ignored.map((f) => basename(f)).join(', ')}`,
        );
    } else paths.push(p);
  }
  const folder = positional.length === 1 ? positional[0].replace(/[\\/]+$/, '') : commonFolder(paths);
  const group = basename(resolve(folder)) || 'runs';
  return {
    paths,
    source: positional.length === 1 ? positional[0] : `${paths.length} files in ${folder}`,
    out: positional.length === 1 ? `${folder}.analysis.json` : join(folder, `${group}.analysis.json`),
    group,
    notes,
  };
}

/** What `analyze` reads: one bundle file, a folder, or several files, and where its analysis goes by default. */
export async function readInputs(
  positional: readonly string[],
  options: { skipBad?: boolean } = {},
): Promise<{
  bundle: RunBundle;
  source: string;
  out: string;
  inputs: string[];
  notes: string[];
  skipped: ImportProblem[];
}> {
  const { paths, source, out, group, notes } = planInputs(positional);
  const files = paths.map((name) => ({ name, bytes: readBytes(name) }));
  const imported = await importBytes(files, group, options);
  return {
    bundle: imported.bundle,
    source,
    out,
    inputs: paths,
    notes: [...imported.notes, ...notes],
    skipped: imported.skipped,
  };
}

function commonFolder(paths: readonly string[]): string {
  const dirs = paths.map((p) => resolve(dirname(p)).split(/[\\/]/));
  const common: string[] = [];
  for (let i = 0; dirs.every((d) => i < d.length && d[i] === dirs[0][i]); i++) common.push(dirs[0][i]);
  return common.join('/') || '/';
}

/** Reads the inputs; a refused import lists each file or run that cannot be read on stderr, then says how to go on. */
async function readOrExplain(positional: string[], skipBad: boolean): ReturnType<typeof readInputs> {
  try {
    return await readInputs(positional, { skipBad });
  } catch (e) {
    if (!(e instanceof ImportError) || e.problems.length === 0) throw e;
    if (e.problems.length > 1 || e.readable > 0)
      process.stderr.write(e.problems.map((p) => `cannot read: ${safeText(p.message, 1000)}`).join('\n') + '\n');
    if (e.readable === 0) throw e;
    throw new Error(
      `${e.problems.length} ${e.problems.length === 1 ? 'file or run' : 'files or runs'} of this import cannot be read (listed above); the other ${e.readable} run${e.readable > 1 ? 's' : ''} can be: rerun with --skip-bad to analyze them`,
      { cause: e },
    );
  }
}

export async function analyzeCommand(positional: string[], flags: Flags): Promise<void> {
  const skipBad = Boolean(flags['skip-bad']);
  const given = flags.out as string | undefined;
  // Before anything is read: parsing a large bundle alone takes a while, and none of it is worth doing for an
  // analysis or figure that cannot be written.
  checkOutputPlace(given ?? planInputs(positional).out, positional[0] ?? '');
  const { bundle, source, out: defaultOut, inputs, notes, skipped } = await readOrExplain(positional, skipBad);
  const out = given ?? defaultOut;
  for (const input of inputs) checkOutputs(input, out, given === undefined);
  const options = await analysisOptionsFromFlags(flags);
  if (notes.length) process.stdout.write(notes.map((n) => `import: ${safeText(n, 400)}`).join('\n') + '\n\n');
  if (skipped.length)
    process.stdout.write(
      `skipped ${skipped.length} ${skipped.length === 1 ? 'file or run' : 'files or runs'} that cannot be read (--skip-bad):\n${skipped
        .map((p) => `  ${p.run !== undefined ? `run ${safeText(p.run, 80)}: ` : ''}${safeText(p.message, 1000)}`)
        .join('\n')}\n\n`,
    );
  const workers = (flags.workers as number | undefined) ?? defaultWorkerCount();
  await analyzeAndReport(bundle, source, options, out, workers, {
    quiet: Boolean(flags.quiet),
    forecast: Boolean(flags.forecast),
  });
}
