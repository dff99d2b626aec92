import { existsSync, readFileSync, statSync } from 'node:fs';
import { formatRunsJson, parseRunsJson, type RunBundle } from '../io/index.ts';
import { selectBackend } from '../train/backend.ts';
import { appendCheckpoints, newTrainingBundle, truncateAfter } from '../train/bundleBuilder.ts';
import { BatchedTrainer } from '../train/engine.ts';
import { decodeState, encodeState } from '../train/stateCodec.ts';
import type { TrainingConfig } from '../train/task.ts';
import { createTaskModel, taskNames } from '../../tasks/index.ts';
import { RUN_CLI_SETTINGS, TRAINING_SETTINGS, trainingRequest, type SettingSpec, type TrainingRequest } from '../settings/index.ts';
import { analyzeAndReport, writeFileAtomic } from './analyzeCommand.ts';
import { UsageError, type Flags } from './args.ts';
import { formatDuration, ProgressLine } from './progressLine.ts';

export const RUN_FLAGS: readonly SettingSpec[] = [...TRAINING_SETTINGS, ...RUN_CLI_SETTINGS];

function statePath(out: string): string {
  return `${out}.state`;
}

function sameTraining(a: TrainingConfig, b: TrainingConfig): string | null {
  const strip = (c: TrainingConfig) => JSON.stringify({ ...c, epochs: 0 });
  return strip(a) === strip(b) ? null : 'the configuration differs from the saved one (only --epochs may change on resume)';
}

function meanOf(xs: number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}

export async function runCommand(positional: string[], flags: Flags): Promise<number | void> {
  if (positional.length > 0) throw new UsageError(`run takes no positional arguments; got '${positional.join(' ')}'`);
  const out = flags.out as string | undefined;
  if (!out) throw new UsageError('--out is required: the bundle file training writes to');
  if (!out.toLowerCase().endsWith('.json')) throw new UsageError(`--out must be a .json file (the run bundle); got '${out}'`);
  if (!flags.task) throw new UsageError(`--task is required (${taskNames().join(' or ')})`);
  let request: TrainingRequest;
  try {
    request = trainingRequest(flags);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (request.backend === 'webgl') throw new UsageError('--backend webgl needs a browser; in Node use auto, wasm, cpu or webgpu');
  const { config, seeds } = request;
  const seedStart = seeds[0];

  let bundle: RunBundle;
  let saved: ReturnType<typeof decodeState> | null = null;
  if (flags.resume) {
    if (!existsSync(out)) throw new Error(`${out}: nothing to resume (no such file)`);
    if (!existsSync(statePath(out))) throw new Error(`${statePath(out)}: no saved training state next to the bundle, so it cannot be resumed exactly`);
    bundle = parseRunsJson(readFileSync(out, 'utf8'), out);
    saved = decodeState(new Uint8Array(readFileSync(statePath(out))), statePath(out));
    // Resuming without --epochs keeps the run's own length rather than the preset's.
    if (flags.epochs === undefined) config.epochs = saved.config.epochs;
    const why = sameTraining(saved.config, config);
    if (why) throw new Error(`${out}: cannot resume: ${why}`);
    if (saved.seeds.join() !== seeds.join())
      throw new Error(
        `${out}: cannot resume: it trains seeds ${saved.seeds[0]}…${saved.seeds.at(-1)} (${saved.seeds.length}), not ${seeds[0]}…${seeds.at(-1)} (${seeds.length})`,
      );
  } else {
    if (existsSync(out) && !flags.force) throw new Error(`${out} exists; use --resume to continue it or --force to overwrite it`);
    bundle = newTrainingBundle(config, seeds);
  }

  const requested = request.backend === 'auto' ? undefined : request.backend;
  const backend = await selectBackend({
    requested,
    prepareWebGpu: async () => (await import('../train/nodeWebgpu.ts')).prepareNodeWebGpu(),
  });
  if (saved && saved.backend !== backend.name) {
    process.stderr.write(
      `note: the run was started on ${saved.backend} and continues on ${backend.name}; numbers may differ slightly from an uninterrupted run\n`,
    );
  }
  const group = bundle.groups[0];
  group.config = {
    ...config,
    backend: backend.name,
    backendReason: backend.reason,
    ...(backend.adapter ? { adapter: backend.adapter } : {}),
    seeds: seeds.length,
    seedStart,
  };
  const model = await createTaskModel(config);
  const trainer = new BatchedTrainer(model, seeds);
  if (saved) {
    trainer.restore(saved.state);
    const stepNow = trainer.stepsDone;
    const dropped = truncateAfter(bundle, stepNow);
    if (dropped) process.stderr.write(`note: ${dropped} checkpoint rows after step ${stepNow} are recomputed (they were written after the last saved state)\n`);
    // A state saved at a checkpoint step whose row never made it to the bundle (a crash while evaluating).
    if (trainer.atCheckpoint() && !bundle.groups[0].runs.some((r) => r.checkpoints.step.includes(stepNow))) {
      appendCheckpoints(bundle, await trainer.checkpoint());
    }
  }
  process.stderr.write(
    `training ${config.task}/${config.preset}: ${seeds.length} seeds × ${config.epochs} epochs (${trainer.stepsPerEpoch} steps each, batch ${config.batchSize}), ` +
      `checkpoint every ${config.checkpointEvery} epoch${config.checkpointEvery > 1 ? 's' : ''}; backend ${backend.name} (${backend.reason})${backend.adapter ? ` [${backend.adapter}]` : ''}\n`,
  );
  if (saved) process.stderr.write(`resuming at epoch ${trainer.epoch}${trainer.batch ? ` + ${trainer.batch} steps` : ''}\n`);

  let stop = false;
  const onSignal = (sig: string) => {
    if (stop) return;
    stop = true;
    process.stderr.write(`\n${sig}: stopping after this step and saving every completed checkpoint…\n`);
  };
  const sigint = () => onSignal('interrupted');
  const sigterm = () => onSignal('terminated');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);

  const saveEvery = ((flags['save-every'] as number | undefined) ?? 30) * 1000;
  let lastSave = Date.now();
  const persist = async () => {
    writeFileAtomic(out, formatRunsJson(bundle));
    const state = await trainer.snapshot();
    writeFileAtomic(statePath(out), encodeState({ config, seeds, backend: backend.name, state }));
    lastSave = Date.now();
  };

  const progress = new ProgressLine();
  const started = Date.now();
  // Steps are synchronous and the wasm backend's promises settle as microtasks: without a real turn of
  // the event loop now and then, a Ctrl-C would never be delivered.
  let lastYield = Date.now();
  const startSteps = trainer.stepsDone;
  let lastEval = NaN;
  let checkpoints = bundle.groups[0].runs[0].checkpoints.step.length;
  try {
    while (!trainer.done && !stop) {
      trainer.step();
      if (trainer.atCheckpoint()) {
        const entries = await trainer.checkpoint();
        appendCheckpoints(bundle, entries);
        checkpoints++;
        lastEval = meanOf(entries.map((e) => e.row.eval_acc));
        for (const e of entries.filter((x) => x.diverged)) {
          progress.done();
          process.stderr.write(`seed ${e.seed} diverged (${e.diverged}); it is marked and stops, the others go on\n`);
        }
        if (trainer.seeds.every((_, i) => !trainer.isAlive(i))) {
          process.stderr.write('every seed has diverged; stopping\n');
          break;
        }
      }
      const elapsed = (Date.now() - started) / 1000;
      const done = trainer.stepsDone - startSteps;
      const alive = trainer.seeds.filter((_, i) => trainer.isAlive(i)).length;
      const rate = done / Math.max(elapsed, 1e-9);
      progress.update(
        `epoch ${trainer.epoch}/${config.epochs} · step ${trainer.stepsDone}/${trainer.totalSteps} · ${(rate * alive).toFixed(1)} seed-steps/s · ` +
          `ETA ${formatDuration((trainer.totalSteps - trainer.stepsDone) / Math.max(rate, 1e-9))} · ${checkpoints} checkpoints` +
          (Number.isFinite(lastEval) ? ` · mean eval acc ${lastEval.toFixed(3)}` : ''),
      );
      if (Date.now() - lastSave >= saveEvery) await persist();
      if (Date.now() - lastYield >= 50) {
        await new Promise((r) => setImmediate(r));
        lastYield = Date.now();
      }
    }
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    progress.done();
    await persist();
  }
  const elapsed = (Date.now() - started) / 1000;
  const stepsRun = trainer.stepsDone - startSteps;
  const size = (f: string) => `${(statSync(f).size / 2 ** 20).toFixed(1)} MiB`;
  process.stdout.write(
    `${stop ? 'Stopped' : 'Trained'} ${seeds.length} seeds to epoch ${trainer.epoch}${trainer.batch ? ` + ${trainer.batch} steps` : ''} in ${formatDuration(elapsed)} ` +
      `(${((stepsRun * seeds.length) / Math.max(elapsed, 1e-9)).toFixed(1)} seed-steps/s); ${checkpoints} checkpoints per seed in ${out} (${size(out)}); state in ${statePath(out)} (${size(statePath(out))})\n`,
  );
  const diverged = bundle.groups[0].runs.filter((r) => r.diverged);
  if (diverged.length)
    process.stdout.write(
      `${diverged.length} seed${diverged.length > 1 ? 's' : ''} diverged: ${diverged.map((r) => `${r.id} at step ${r.diverged!.step}`).join(', ')}\n`,
    );
  if (stop) {
    process.stdout.write(
      `Continue with: npm run trainmap -- run ${process.argv
        .slice(3)
        .filter((a) => a !== '--resume' && a !== '--force')
        .join(' ')} --resume\n`,
    );
    return 130;
  }
  if (flags.analyze) {
    const analysisOut = out.replace(/\.json$/i, '') + '.analysis.json';
    await analyzeAndReport(bundle, out, { threshold: config.convergenceThreshold }, analysisOut, (await import('./fitPool.ts')).defaultWorkerCount(), false);
  }
}
