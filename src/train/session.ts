/**
 * The training session: the one training loop, which the CLI and the browser's train worker only drive.
 * It owns a BatchedTrainer and the growing RunBundle; it tells its host what happens through an injected
 * sink (events) and persists through an injected store (flushes). Every event and flush is plain,
 * structured-clone-able data, so either may cross a postMessage boundary.
 *
 * Between steps the loop hands control to its host (`yieldToHost`) at most every `yieldEveryMs`, so a
 * pause or stop arrives within one step plus that interval, while a yield per step (which costs a turn
 * of the host's event loop) is avoided.
 */
import type { RunBundle } from '../io/runBundle.ts';
import { BatchedTrainer } from './batchedTrainer.ts';
import { appendCheckpoints, newTrainingBundle } from './bundleBuilder.ts';
import { defaultYield } from './hostYield.ts';
import { errorText } from './failures.ts';
import { checkResume, randomTrainingId, restoreRun } from './sessionResume.ts';
import type {
  CheckpointBatch,
  DoneEvent,
  DoneReason,
  FlushReason,
  ResumeFrom,
  SessionEvent,
  SessionFlush,
  SessionInfo,
  SessionOptions,
  SessionSink,
  SessionStatus,
  SessionStore,
} from './sessionTypes.ts';
import { encodeState } from './stateCodec.ts';
import type { TrainingConfig } from './task.ts';

// The CLI's names for them.
export type { DoneEvent, ResumeFrom, SessionEvent, SessionFlush, SessionInfo, SessionSink, SessionStore };

interface Command {
  kind: 'step' | 'save';
  settle: { resolve: () => void; reject: (e: unknown) => void };
}

class StoreFailure extends Error {}

export class TrainingSession {
  readonly trainer: BatchedTrainer;
  readonly bundle: RunBundle;
  readonly info: SessionInfo;
  private readonly config: TrainingConfig;
  private readonly sink: SessionSink;
  private readonly store: SessionStore;
  private readonly yieldToHost: () => Promise<void>;
  private readonly yieldEveryMs: number;
  private readonly saveEveryMs: number;
  private readonly saveAtCheckpointMs: number;
  private readonly progressEveryMs: number;
  private readonly now: () => number;
  private statusNow: SessionStatus = 'ready';
  private pauseRequested = false;
  private stopRequested = false;
  private wake: (() => void) | null = null;
  private commands: Command[] = [];
  private loopRun: Promise<DoneEvent> | null = null;
  private pending: CheckpointBatch[] = [];
  private truncatedAfter: number | null = null;
  private recoverCheckpoint = false;
  private checkpointCount: number;
  private lastEval: number | null = null;
  private readonly stepsAtStart: number;
  private activeMs = 0;
  private clockSince: number | null = null;
  private lastSave = 0;
  /** Steps covered by the last save (or the state resumed from): a pause saves only when there is more. */
  private savedSteps: number;
  private lastYield = 0;
  private lastProgress = -Infinity;

  constructor(options: SessionOptions) {
    const { model, seeds, backend, resume } = options;
    this.config = model.config;
    this.sink = options.sink;
    this.store = options.store;
    this.yieldToHost = options.yieldToHost ?? defaultYield;
    this.yieldEveryMs = options.yieldEveryMs ?? 50;
    this.saveEveryMs = options.saveEveryMs ?? 30_000;
    this.saveAtCheckpointMs = options.saveAtCheckpointMs ?? Infinity;
    this.progressEveryMs = options.progressEveryMs ?? 0;
    this.now = options.now ?? (() => performance.now());
    if (resume) checkResume(resume, this.config, seeds);
    const trainingId = resume ? resume.saved.trainingId : (options.trainingId ?? randomTrainingId());
    this.trainer = new BatchedTrainer(model, seeds, { activationBudgetFloats: options.activationBudgetFloats });
    let resumed: SessionInfo['resumed'] = null;
    if (resume) {
      const r = restoreRun(this.trainer, resume);
      this.bundle = resume.bundle;
      this.recoverCheckpoint = r.recoverCheckpoint;
      this.truncatedAfter = r.truncatedAfter;
      resumed = r.resumed;
    } else {
      this.bundle = newTrainingBundle(this.config, seeds);
    }
    this.bundle.groups[0].config = {
      ...this.config,
      backend: backend.name,
      backendReason: backend.reason,
      ...(backend.adapter ? { adapter: backend.adapter } : {}),
      seeds: seeds.length,
      seedStart: seeds[0],
      trainingId,
    };
    this.checkpointCount = Math.max(0, ...this.bundle.groups[0].runs.map((r) => r.checkpoints.step.length));
    this.stepsAtStart = this.trainer.stepsDone;
    this.savedSteps = this.truncatedAfter === null && !this.recoverCheckpoint ? this.trainer.stepsDone : -1;
    this.info = {
      config: this.config,
      seeds: [...seeds],
      backend: { ...backend },
      trainingId,
      stepsPerEpoch: this.trainer.stepsPerEpoch,
      totalSteps: this.trainer.totalSteps,
      resumed,
    };
  }

  get status(): SessionStatus {
    return this.statusNow;
  }

  get stepsDone(): number {
    return this.trainer.stepsDone;
  }

  get checkpoints(): number {
    return this.checkpointCount;
  }

  /** Trains until the end, a stop, or every seed diverged; resolves with the done event (after the last save). */
  start(): Promise<DoneEvent> {
    this.pauseRequested = false;
    return this.ensureLoop();
  }

  /** After the current step, waits (the device settled) until resume(), step(), save() or stop(). */
  pause(): void {
    if (this.ended) return;
    this.pauseRequested = true;
  }

  resume(): void {
    // A failure reaches the host as an error event (and through start()'s promise).
    this.start().catch(() => undefined);
  }

  /** Pauses if running, then advances exactly one step (with its checkpoint, if it ends one). */
  step(): Promise<void> {
    return this.command('step');
  }

  /** Saves now (while running: after the current step). */
  save(): Promise<void> {
    return this.command('save');
  }

  /** Ends after the current step: saves every completed checkpoint and the exact state, then reports done. */
  stop(): Promise<DoneEvent> {
    this.stopRequested = true;
    return this.ensureLoop();
  }

  /** Settles when the loop has ended (done or failed), or at once when it never started: then dispose() is safe. */
  whenEnded(): Promise<void> {
    return (this.loopRun ?? Promise.resolve()).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Frees the trainer's tensors; the session is unusable afterwards. */
  dispose(): void {
    this.trainer.dispose();
  }

  private get ended(): boolean {
    return this.statusNow === 'done' || this.statusNow === 'failed';
  }

  private command(kind: Command['kind']): Promise<void> {
    if (this.ended) return Promise.reject(new Error(`the session has ended (${this.statusNow}); nothing to ${kind}`));
    if (kind === 'step') this.pauseRequested = true;
    return new Promise((resolve, reject) => {
      this.commands.push({ kind, settle: { resolve, reject } });
      void this.ensureLoop().catch(() => undefined);
      this.wake?.();
    });
  }

  private ensureLoop(): Promise<DoneEvent> {
    this.loopRun ??= this.loop();
    this.wake?.();
    return this.loopRun;
  }

  private setStatus(status: 'running' | 'paused' | 'stopping'): void {
    if (this.statusNow === status) return;
    this.statusNow = status;
    this.sink({ type: 'status', status });
  }

  private elapsedMs(): number {
    return this.activeMs + (this.clockSince === null ? 0 : this.now() - this.clockSince);
  }

  private clock(on: boolean): void {
    if (on && this.clockSince === null) this.clockSince = this.now();
    if (!on && this.clockSince !== null) {
      this.activeMs += this.now() - this.clockSince;
      this.clockSince = null;
    }
  }

  private get allDiverged(): boolean {
    return this.trainer.seeds.every((_, i) => !this.trainer.isAlive(i));
  }

  private async loop(): Promise<DoneEvent> {
    // Let the caller's synchronous code (a pause() right after start(), say) run before the first step.
    await Promise.resolve();
    this.lastSave = this.lastYield = this.now();
    try {
      if (this.recoverCheckpoint) await this.checkpointNow();
      while (!this.stopRequested && !this.trainer.done && !this.allDiverged) {
        const command = this.commands.shift();
        if (command) {
          this.clock(true);
          try {
            if (command.kind === 'step') await this.advance(true);
            else await this.flushNow('save');
          } catch (e) {
            command.settle.reject(e);
            throw e;
          } finally {
            this.clock(false);
          }
          command.settle.resolve();
          continue;
        }
        if (this.pauseRequested) {
          if (this.statusNow !== 'paused') {
            this.clock(false);
            await this.trainer.settle();
            // A running session that pauses saves first (a user may close the tab now); single steps do not.
            if (this.statusNow === 'running' && this.trainer.stepsDone !== this.savedSteps)
              await this.flushNow('pause');
            this.setStatus('paused');
          }
          if (!this.pauseRequested || this.commands.length || this.stopRequested) continue;
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          continue;
        }
        this.clock(true);
        this.setStatus('running');
        const atCheckpoint = await this.advance(false);
        const t = this.now();
        const since = t - this.lastSave;
        if (since >= this.saveEveryMs || (atCheckpoint && since >= this.saveAtCheckpointMs))
          await this.flushNow('interval');
        if (t - this.lastYield >= this.yieldEveryMs) {
          await this.yieldToHost();
          this.lastYield = this.now();
        }
      }
      const reason: DoneReason = this.trainer.done ? 'complete' : this.allDiverged ? 'all-diverged' : 'stopped';
      if (reason === 'stopped') this.setStatus('stopping');
      this.clock(false);
      await this.flushNow(reason === 'stopped' ? 'stop' : 'done');
      const done = this.doneEvent(reason);
      this.statusNow = 'done';
      this.settleCommands(null);
      this.sink(done);
      return done;
    } catch (e) {
      this.clock(false);
      this.statusNow = 'failed';
      this.sink({ type: 'error', message: errorText(e) });
      // Keep what was computed, unless saving is what failed.
      if (!(e instanceof StoreFailure)) await this.flushNow('error').catch(() => undefined);
      this.settleCommands(e);
      throw e instanceof StoreFailure ? (e.cause ?? e) : e;
    }
  }

  private settleCommands(error: unknown): void {
    for (const c of this.commands.splice(0))
      c.settle.reject(error ?? new Error(`the session has ended; nothing to ${c.kind}`));
  }

  /** One step (with its checkpoint, if it ends one); true when it did end one. */
  private async advance(single: boolean): Promise<boolean> {
    this.trainer.step();
    const atCheckpoint = this.trainer.atCheckpoint();
    if (atCheckpoint) await this.checkpointNow();
    const t = this.now();
    if (single || atCheckpoint || this.trainer.done || t - this.lastProgress >= this.progressEveryMs) {
      this.lastProgress = t;
      this.sink(this.progressEvent());
    }
    return atCheckpoint;
  }

  private async checkpointNow(): Promise<void> {
    const rows = await this.trainer.checkpoint();
    const step = this.trainer.stepsDone;
    const epoch = this.trainer.epoch + this.trainer.batch / this.trainer.stepsPerEpoch;
    appendCheckpoints(this.bundle, rows);
    this.pending.push({ step, epoch, rows });
    this.checkpointCount++;
    const acc = rows.map((r) => r.row.eval_acc).filter(Number.isFinite);
    this.lastEval = acc.length ? acc.reduce((a, b) => a + b, 0) / acc.length : null;
    this.sink({ type: 'checkpoint', step, epoch, rows });
    for (const r of rows) if (r.diverged) this.sink({ type: 'diverged', seed: r.seed, step, reason: r.diverged });
  }

  private progressEvent(): SessionEvent {
    const t = this.trainer;
    const rate = (t.stepsDone - this.stepsAtStart) / Math.max(this.elapsedMs() / 1000, 1e-9);
    return {
      type: 'progress',
      epoch: t.epoch,
      batch: t.batch,
      stepsDone: t.stepsDone,
      totalSteps: t.totalSteps,
      checkpoints: this.checkpointCount,
      aliveSeeds: t.seeds.filter((_, i) => t.isAlive(i)).length,
      stepsPerSecond: rate,
      etaSeconds: (t.totalSteps - t.stepsDone) / Math.max(rate, 1e-9),
      meanEvalAcc: this.lastEval,
    };
  }

  private async flushNow(reason: FlushReason): Promise<void> {
    const state = encodeState({
      config: this.config,
      seeds: [...this.trainer.seeds],
      backend: this.info.backend.name,
      trainingId: this.info.trainingId,
      state: await this.trainer.snapshot(),
    });
    const flush: SessionFlush = {
      reason,
      trainingId: this.info.trainingId,
      stepsDone: this.trainer.stepsDone,
      newCheckpoints: this.pending,
      truncatedAfter: this.truncatedAfter,
      state,
      bundle: this.bundle,
    };
    try {
      await this.store.flush(flush);
    } catch (e) {
      throw new StoreFailure(errorText(e), { cause: e });
    }
    this.pending = [];
    this.truncatedAfter = null;
    this.savedSteps = flush.stepsDone;
    this.lastSave = this.now();
    this.sink({
      type: 'saved',
      reason,
      stepsDone: flush.stepsDone,
      checkpoints: this.checkpointCount,
      stateBytes: state.byteLength,
    });
  }

  private doneEvent(reason: DoneReason): DoneEvent {
    const t = this.trainer;
    return {
      type: 'done',
      reason,
      epoch: t.epoch,
      batch: t.batch,
      stepsDone: t.stepsDone,
      totalSteps: t.totalSteps,
      stepsRun: t.stepsDone - this.stepsAtStart,
      elapsedSeconds: this.elapsedMs() / 1000,
      checkpoints: this.checkpointCount,
      diverged: this.bundle.groups[0].runs.flatMap((r) =>
        r.diverged ? [{ seed: r.seed as number, step: r.diverged.step, reason: r.diverged.reason }] : [],
      ),
    };
  }
}
