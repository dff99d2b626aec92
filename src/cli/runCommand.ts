/**
 * `trainmap run`: a thin driver over the TrainingSession — flags to settings, a lock on --out, a file
 * store, a printer, and Ctrl-C to stop and save. The training loop itself lives in src/train/session.ts.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { selectBackend, type BackendName } from '../train/backend.ts';
import { TrainingSession, type DoneEvent, type ResumeFrom, type SessionSink } from '../train/session.ts';
import type { TrainingConfig } from '../train/task.ts';
import { createTaskModel, taskNames } from '../../tasks/index.ts';
import {
  RUN_CLI_SETTINGS,
  TRAINING_SETTINGS,
  trainingRequest,
  type SettingSpec,
  type TrainingRequest,
} from '../settings/index.ts';
import { analyzeAndReport } from './analyzeCommand.ts';
import { UsageError, type Flags } from './args.ts';
import { removeStaleTemporaries } from './atomicFile.ts';
import { checkOutPaths, FileRunStore, readResume, statePath } from './fileRunStore.ts';
import { figurePath, proveWritable } from './outputPaths.ts';
import { acquireRunLock } from './runLock.ts';
import { printDone, printStart, runPrinter } from './runPrinter.ts';

export const RUN_FLAGS: readonly SettingSpec[] = [...TRAINING_SETTINGS, ...RUN_CLI_SETTINGS];

// ---- Flags -> settings (the settings table's values, and the CLI's own). ----

export interface RunSettings {
  out: string;
  config: TrainingConfig;
  seeds: number[];
  /** False when --epochs was not given: a resume then keeps the run's own length. */
  epochsGiven: boolean;
  resume: boolean;
  force: boolean;
  analyze: boolean;
  backend: BackendName | undefined;
  saveEverySeconds: number;
}

export function runSettingsFromFlags(positional: string[], flags: Flags): RunSettings {
  if (positional.length > 0) throw new UsageError(`run takes no positional arguments; got '${positional.join(' ')}'`);
  const out = flags.out as string | undefined;
  if (!out) throw new UsageError('--out is required: the bundle file training writes to');
  if (!out.toLowerCase().endsWith('.json'))
    throw new UsageError(`--out must be a .json file (the run bundle); got '${out}'`);
  if (!flags.task) throw new UsageError(`--task is required (${taskNames().join(' or ')})`);
  let request: TrainingRequest;
  try {
    request = trainingRequest(flags);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (request.backend === 'webgl')
    throw new UsageError('--backend webgl needs a browser; in Node use auto, wasm, cpu or webgpu');
  const { config, seeds } = request;

  return {
    out,
    config,
    seeds,
    epochsGiven: flags.epochs !== undefined,
    resume: !!flags.resume,
    force: !!flags.force,
    analyze: !!flags.analyze,
    backend: request.backend === 'auto' ? undefined : (request.backend as BackendName),
    saveEverySeconds: (flags['save-every'] as number | undefined) ?? 30,
  };
}

// ---- The driver. ----

/** Where `run --analyze` writes the analysis of `out`. */
const analysisPathOf = (out: string) => out.replace(/\.json$/i, '') + '.analysis.json';

const note = (message: string) => void process.stderr.write(message + '\n');

export async function runCommand(positional: string[], flags: Flags): Promise<number | void> {
  const settings = runSettingsFromFlags(positional, flags);
  const { out } = settings;
  checkOutPaths(out);
  // Proven before training: a run of hours must not end in an unwritable bundle, state or analysis.
  for (const file of [
    out,
    statePath(out),
    ...(settings.analyze ? [analysisPathOf(out), figurePath(analysisPathOf(out))] : []),
  ])
    proveWritable(file);
  if (settings.resume && !existsSync(out)) throw new Error(`${out}: nothing to resume (no such file)`);
  mkdirSync(dirname(out), { recursive: true });
  const lock = acquireRunLock(out, note);
  try {
    // Holding the lock, any temporary beside the files is a killed writer's.
    const removed = [...removeStaleTemporaries(out), ...removeStaleTemporaries(statePath(out))];
    if (removed.length)
      note(
        `note: removed ${removed.length} temporary file${removed.length > 1 ? 's' : ''} left by an interrupted save: ${removed.join(', ')}`,
      );
    return await train(settings);
  } finally {
    lock.release();
  }
}

async function train(settings: RunSettings): Promise<number | void> {
  const { out, config, seeds } = settings;
  let resume: ResumeFrom | undefined;
  if (settings.resume) {
    resume = readResume(out);
    if (!settings.epochsGiven) config.epochs = resume.saved.config.epochs;
  } else if (existsSync(out) && !settings.force) {
    throw new Error(`${out} exists; use --resume to continue it or --force to overwrite it`);
  }
  const backend = await selectBackend({
    requested: settings.backend,
    prepareWebGpu: async () => (await import('../train/nodeWebgpu.ts')).prepareNodeWebGpu(),
  });
  let sink: SessionSink = () => undefined;
  const session = new TrainingSession({
    model: await createTaskModel(config),
    seeds,
    backend,
    resume,
    store: new FileRunStore(out),
    sink: (e) => sink(e),
    // Steps are synchronous and the wasm backend's promises settle as microtasks: without a real turn of
    // the event loop now and then, a Ctrl-C would never be delivered.
    yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
    saveEveryMs: settings.saveEverySeconds * 1000,
  });
  const printer = runPrinter(session.info);
  sink = printer;
  printStart(session.info);

  let stopping = false;
  const onSignal = (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${sig}: stopping after this step and saving every completed checkpoint…\n`);
    // A failure while stopping reaches the caller through start()'s promise.
    session.stop().catch(() => undefined);
  };
  const sigint = () => onSignal('interrupted');
  const sigterm = () => onSignal('terminated');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  let done: DoneEvent;
  try {
    done = await session.start();
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    printer.finish();
    session.dispose();
  }
  const size = (f: string) => `${(statSync(f).size / 2 ** 20).toFixed(1)} MiB`;
  printDone(session.info, done, { out, outSize: size(out), state: statePath(out), stateSize: size(statePath(out)) });
  if (done.reason === 'stopped') {
    process.stdout.write(
      `Continue with: npm run trainmap -- run ${process.argv
        .slice(3)
        .filter((a) => a !== '--resume' && a !== '--force')
        .join(' ')} --resume\n`,
    );
    return 130;
  }
  if (settings.analyze) {
    const analysisOut = analysisPathOf(out);
    await analyzeAndReport(
      session.bundle,
      out,
      { threshold: config.convergenceThreshold },
      analysisOut,
      (await import('./fitPool.ts')).defaultWorkerCount(),
    );
  }
}
