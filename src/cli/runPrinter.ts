/** What `trainmap run` prints: the session's info and events as the progress line and messages on stderr. */
import type { DoneEvent, SessionEvent, SessionInfo, SessionSink } from '../train/session.ts';
import { runId } from '../train/bundleBuilder.ts';
import { formatDuration, ProgressLine } from './progressLine.ts';

const err = (text: string) => void process.stderr.write(text);

/** The lines before training: notes about the resume, what trains on what, and where it resumes. */
export function printStart(info: SessionInfo): void {
  const { config, seeds, backend, resumed } = info;
  if (resumed && resumed.savedBackend !== backend.name)
    err(
      `note: the run was started on ${resumed.savedBackend} and continues on ${backend.name}; numbers may differ slightly from an uninterrupted run\n`,
    );
  if (resumed?.droppedRows)
    err(
      `note: ${resumed.droppedRows} checkpoint rows after step ${resumed.stepsDone} are recomputed (they were written after the last saved state)\n`,
    );
  err(
    `training ${config.task}/${config.preset}: ${seeds.length} seeds × ${config.epochs} epochs (${info.stepsPerEpoch} steps each, batch ${config.batchSize}), ` +
      `checkpoint every ${config.checkpointEvery} epoch${config.checkpointEvery > 1 ? 's' : ''}` +
      `${(config.singularValuesEvery ?? 1) > 1 ? ` (singular-value metrics every ${config.singularValuesEvery} checkpoints)` : ''}; backend ${backend.name} (${backend.reason})${backend.adapter ? ` [${backend.adapter}]` : ''}\n`,
  );
  if (resumed) err(`resuming at epoch ${resumed.epoch}${resumed.batch ? ` + ${resumed.batch} steps` : ''}\n`);
}

/** The sink: a progress line redrawn as steps go, and a message for each diverged seed. */
export function runPrinter(info: SessionInfo, progress = new ProgressLine()): SessionSink & { finish(): void } {
  const sink = (e: SessionEvent) => {
    switch (e.type) {
      case 'progress':
        progress.update(
          `epoch ${e.epoch}/${info.config.epochs} · step ${e.stepsDone}/${e.totalSteps} · ${(e.stepsPerSecond * e.aliveSeeds).toFixed(1)} seed-steps/s · ` +
            `ETA ${formatDuration(e.etaSeconds)} · ${e.checkpoints} checkpoints` +
            (e.meanEvalAcc !== null ? ` · mean eval acc ${e.meanEvalAcc.toFixed(3)}` : ''),
        );
        return;
      case 'diverged':
        progress.done();
        err(`seed ${e.seed} diverged (${e.reason}); it is marked and stops, the others go on\n`);
        return;
      case 'done':
        progress.done();
        if (e.reason === 'all-diverged') err('every seed has diverged; stopping\n');
        return;
      case 'error':
        // The command's caller prints the error itself; here the progress line only makes room for it.
        progress.done();
        return;
      case 'checkpoint':
      case 'status':
      case 'saved':
        return;
    }
  };
  return Object.assign(sink, { finish: () => progress.done() });
}

/** The summary on stdout once training has ended. */
export function printDone(
  info: SessionInfo,
  done: DoneEvent,
  files: { out: string; outSize: string; state: string; stateSize: string },
): void {
  const seeds = info.seeds.length;
  process.stdout.write(
    `${done.reason === 'stopped' ? 'Stopped' : 'Trained'} ${seeds} seeds to epoch ${done.epoch}${done.batch ? ` + ${done.batch} steps` : ''} in ${formatDuration(done.elapsedSeconds)} ` +
      `(${((done.stepsRun * seeds) / Math.max(done.elapsedSeconds, 1e-9)).toFixed(1)} seed-steps/s); ${done.checkpoints} checkpoints per seed in ${files.out} (${files.outSize}); ` +
      `state in ${files.state} (${files.stateSize})\n`,
  );
  const d = done.diverged;
  if (d.length)
    process.stdout.write(
      `${d.length} seed${d.length > 1 ? 's' : ''} diverged: ${d.map((r) => `${runId(r.seed)} at step ${r.step}`).join(', ')}\n`,
    );
}
