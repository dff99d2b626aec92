/**
 * `trainmap run`: a thin driver over the TrainingSession — flags to settings, a lock on --out, a file
 * store, a printer, and Ctrl-C to stop and save. The training loop itself lives in src/train/session.ts.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { selectBackend, BACKENDS, type BackendName } from '../train/backend.ts';
import { TrainingSession, type DoneEvent, type ResumeFrom, type SessionSink } from '../train/session.ts';
import type { TrainingConfig } from '../train/task.ts';
import { createTaskModel, PRESETS, TASKS, trainingConfig } from '../../tasks/index.ts';
import { analyzeAndReport } from './analyzeCommand.ts';
import { UsageError, type FlagSpec, type Flags } from './args.ts';
import { removeStaleTemporaries } from './atomicFile.ts';
import { checkOutPaths, FileRunStore, readResume, statePath } from './fileRunStore.ts';
import { acquireRunLock } from './runLock.ts';
import { printDone, printStart, runPrinter } from './runPrinter.ts';

export const RUN_FLAGS: Record<string, FlagSpec> = {
  task: { type: 'string', description: 'what to train', choices: TASKS },
  preset: {
    type: 'string',
    description: `configuration: ${Object.entries(PRESETS)
      .map(([t, p]) => `${t}: ${Object.keys(p).join('|')}`)
      .join('; ')}`,
    default: 'paper',
  },
  seeds: { type: 'integer', description: 'how many seeds train together', default: '40', min: 1, max: 4096 },
  'seed-start': { type: 'integer', description: 'first seed (seeds are seed-start … seed-start+seeds−1)', default: '0', min: 0 },
  epochs: { type: 'integer', description: "epochs (overrides the preset's)", min: 1 },
  'checkpoint-every': { type: 'integer', description: 'epochs between checkpoints', min: 1 },
  'layer-norm': { type: 'boolean', description: 'modular addition with post-LN (the stabilized variant)' },
  'batch-size': { type: 'integer', description: "batch size (overrides the preset's)", min: 1 },
  lr: { type: 'number', description: "learning rate (overrides the preset's)" },
  backend: {
    type: 'string',
    description: 'tfjs backend (default: the best available; webgpu needs a Vulkan driver)',
    choices: BACKENDS.filter((b) => b !== 'webgl'),
  },
  out: { type: 'string', description: 'the run bundle to write as training goes (JSON); its state goes to <out>.state' },
  resume: { type: 'boolean', description: 'continue the partial bundle at --out from its saved state' },
  force: { type: 'boolean', description: 'overwrite an existing --out' },
  analyze: { type: 'boolean', description: 'analyze the bundle when training ends (writes <out>.analysis.json)' },
  'save-every': { type: 'number', description: 'seconds between saves of the bundle and state', default: '30', min: 0 },
};

// ---- Flags -> settings. Kept together and apart from the rest: a settings table will replace this block. ----

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
  if (!out.toLowerCase().endsWith('.json')) throw new UsageError(`--out must be a .json file (the run bundle); got '${out}'`);
  if (!flags.task) throw new UsageError(`--task is required (${TASKS.join(' or ')})`);
  const seedsCount = (flags.seeds as number | undefined) ?? 40;
  const seedStart = (flags['seed-start'] as number | undefined) ?? 0;
  const seeds = Array.from({ length: seedsCount }, (_, i) => seedStart + i);
  let config: TrainingConfig;
  try {
    config = trainingConfig(String(flags.task), (flags.preset as string | undefined) ?? 'paper', {
      epochs: flags.epochs as number | undefined,
      checkpointEvery: flags['checkpoint-every'] as number | undefined,
      batchSize: flags['batch-size'] as number | undefined,
      layerNorm: flags['layer-norm'] ? true : undefined,
      learningRate: flags.lr as number | undefined,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  return {
    out,
    config,
    seeds,
    epochsGiven: flags.epochs !== undefined,
    resume: !!flags.resume,
    force: !!flags.force,
    analyze: !!flags.analyze,
    backend: flags.backend as BackendName | undefined,
    saveEverySeconds: (flags['save-every'] as number | undefined) ?? 30,
  };
}

// ---- The driver. ----

const note = (message: string) => void process.stderr.write(message + '\n');

export async function runCommand(positional: string[], flags: Flags): Promise<number | void> {
  const settings = runSettingsFromFlags(positional, flags);
  const { out } = settings;
  checkOutPaths(out);
  if (settings.resume && !existsSync(out)) throw new Error(`${out}: nothing to resume (no such file)`);
  mkdirSync(dirname(out), { recursive: true });
  const lock = acquireRunLock(out, note);
  try {
    // Holding the lock, any temporary beside the files is a killed writer's.
    const removed = [...removeStaleTemporaries(out), ...removeStaleTemporaries(statePath(out))];
    if (removed.length)
      note(`note: removed ${removed.length} temporary file${removed.length > 1 ? 's' : ''} left by an interrupted save: ${removed.join(', ')}`);
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
    model: createTaskModel(config),
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
    const analysisOut = out.replace(/\.json$/i, '') + '.analysis.json';
    await analyzeAndReport(
      session.bundle,
      out,
      { threshold: config.convergenceThreshold },
      analysisOut,
      (await import('./fitPool.ts')).defaultWorkerCount(),
      false,
    );
  }
}
