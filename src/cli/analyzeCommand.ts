import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { analyzeRuns, analyzeRunsWith, previousFitOf, type AnalysisProgress, type AnalyzeOptions, type HMMParams } from '../analysis/index.ts';
import { formatRunsJson, readBundle, safeText, type RunBundle } from '../io/index.ts';
import { ANALYSIS_SETTINGS, ANALYZE_CLI_SETTINGS, analyzeOptions, SettingError, type SettingSpec } from '../settings/index.ts';
import { UsageError, type Flags } from './args.ts';
import { defaultWorkerCount, workerFitRunner } from './fitPool.ts';
import { formatDuration, ProgressLine } from './progressLine.ts';
import { formatSummary } from './summary.ts';
import { analysisFigureSvg } from '../render/analysisFigure.ts';
import { checkOutputs, defaultOutput, figurePath } from './outputPaths.ts';

export const ANALYZE_FLAGS: readonly SettingSpec[] = [...ANALYSIS_SETTINGS, ...ANALYZE_CLI_SETTINGS];

/** A file's bytes, or an error that says in words why they cannot be read (`what` names the file's role). */
export function readBytes(file: string, what = 'the bundle'): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = { ENOENT: 'no such file', EISDIR: 'a directory, not a file', EACCES: 'permission denied' }[code ?? ''] ?? `cannot read (${code ?? e})`;
    throw new Error(`${safeText(file, 200)}: ${why}${code === 'ENOENT' && what !== 'the bundle' ? ` (${what})` : ''}`, { cause: e });
  }
}

async function previousFit(file: string): Promise<{ params: HMMParams; features: string[] }> {
  return previousFitOf(await readBundle(readBytes(file, 'given as --previous'), file), file);
}

/** Writes through a temporary file and a rename, so an interrupted write never leaves half a file. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
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

function describeProgress(p: AnalysisProgress, started: number): string {
  if (p.phase !== 'select')
    return { prepare: 'normalizing runs…', decode: 'decoding every run with Viterbi…', map: 'building the map and regression…' }[p.phase];
  const elapsed = (Date.now() - started) / 1000;
  const eta = (elapsed / p.done) * (p.total - p.done);
  return `model selection: ${p.done}/${p.total} fits (last K=${p.job.k}, restart ${p.job.restart}: held-out LL ${p.heldOutLogLikelihood.toFixed(1)}), ${formatDuration(elapsed)} elapsed, ~${formatDuration(eta)} left`;
}

/** Analyzes a bundle already in memory: the step `trainmap run` hands over to, and what `analyze` does after reading. */
export async function analyzeAndReport(
  bundle: RunBundle,
  source: string,
  options: AnalyzeOptions,
  out: string,
  workers: number,
  quiet: boolean,
): Promise<void> {
  const progress = new ProgressLine();
  const started = Date.now();
  const opts: AnalyzeOptions = { ...options, onProgress: (p) => progress.update(describeProgress(p, started), p.phase !== 'select') };
  const report = workers > 0 ? await analyzeRunsWith(workerFitRunner(workers), bundle, opts) : analyzeRuns(bundle, opts);
  progress.done();
  const exported: RunBundle = { format: bundle.format, groups: bundle.groups, analysis: report };
  writeFileAtomic(out, formatRunsJson(exported));
  const figure = figurePath(out);
  writeFileAtomic(figure, analysisFigureSvg(report));
  if (!quiet) process.stdout.write(formatSummary(report, source) + '\n');
  process.stdout.write(`\nAnalysis written to ${safeText(out, 200)}, figure to ${safeText(figure, 200)} (${formatDuration((Date.now() - started) / 1000)})\n`);
}

export async function analyzeCommand(positional: string[], flags: Flags): Promise<void> {
  if (positional.length !== 1) throw new UsageError(`analyze takes one bundle file (.csv or .json); got ${positional.length}`);
  const file = positional[0];
  const given = flags.out as string | undefined;
  const out = given ?? defaultOutput(file);
  checkOutputs(file, out, given === undefined);
  const options = await analysisOptionsFromFlags(flags);
  const bundle = await readBundle(readBytes(file), file);
  const workers = (flags.workers as number | undefined) ?? defaultWorkerCount();
  await analyzeAndReport(bundle, file, options, out, workers, Boolean(flags.quiet));
}
