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
import { BatchedTrainer, type SeedCheckpoint } from './batchedTrainer.ts';
import { appendCheckpoints, newTrainingBundle } from './bundleBuilder.ts';
import { defaultYield } from './hostYield.ts';
import { checkResume, randomTrainingId, restoreRun } from './sessionResume.ts';
import { encodeState, type SavedState } from './stateCodec.ts';
import type { TaskModel, TrainingConfig } from './task.ts';

export interface SessionBackend {
  name: string;
  reason: string;
  adapter?: string;
}

export type SessionStatus = 'ready' | 'running' | 'paused' | 'stopping' | 'done' | 'failed';
/** Why a flush happened; 'pause': a pause saves everything before it is announced (a user may close the tab then). */
export type FlushReason = 'interval' | 'save' | 'pause' | 'stop' | 'done' | 'error';
export type DoneReason = 'complete' | 'stopped' | 'all-diverged';

export interface DivergedSeed {
  seed: number;
  step: number;
  reason: string;
}

export type SessionEvent =
  | {
      type: 'progress';
      epoch: number;
      batch: number;
      stepsDone: number;
      totalSteps: number;
      checkpoints: number;
      aliveSeeds: number;
      /** Optimizer steps per second of this session's own training time (pauses excluded). */
      stepsPerSecond: number;
      etaSeconds: number;
      /** Mean eval accuracy of the live seeds at the latest checkpoint, null before the first. */
      meanEvalAcc: number | null;
    }
  | { type: 'checkpoint'; step: number; epoch: number; rows: SeedCheckpoint[] }
  | ({ type: 'diverged' } & DivergedSeed)
  | { type: 'status'; status: 'running' | 'paused' | 'stopping' }
  | { type: 'saved'; reason: FlushReason; stepsDone: number; checkpoints: number; stateBytes: number }
  | DoneEvent
  | { type: 'error'; message: string };

export interface DoneEvent {
  type: 'done';
  reason: DoneReason;
  epoch: number;
  batch: number;
  stepsDone: number;
  totalSteps: number;
  /** Steps this session ran (a resumed session counts from where it resumed). */
  stepsRun: number;
  elapsedSeconds: number;
  checkpoints: number;
  diverged: DivergedSeed[];
}

export type SessionSink = (event: SessionEvent) => void;

/** One checkpoint of every live seed, as appended to the bundle. */
export interface CheckpointBatch {
  step: number;
  epoch: number;
  rows: SeedCheckpoint[];
}

/**
 * What a store receives at each save. A transactional store (IndexedDB) writes `newCheckpoints`, the
 * deletion that `truncatedAfter` asks for, and `state` in one transaction; a file store writes `bundle`
 * whole beside `state`. `bundle` is the session's live object: a store that keeps it must copy it.
 */
export interface SessionFlush {
  reason: FlushReason;
  trainingId: string;
  stepsDone: number;
  /** Checkpoints appended since the previous flush, in order. */
  newCheckpoints: CheckpointBatch[];
  /** Set on the first flush after a resume: rows with a step above it were dropped (the session recomputes them). */
  truncatedAfter: number | null;
  /** The encoded training state (stateCodec), enough to continue exactly from `stepsDone`. */
  state: Uint8Array;
  bundle: RunBundle;
}

export interface SessionStore {
  flush(flush: SessionFlush): Promise<void>;
}

/** A saved run to continue: its partial bundle and decoded state, with the names messages should use. */
export interface ResumeFrom {
  bundle: RunBundle;
  saved: SavedState;
  bundleName: string;
  stateName: string;
}

export interface SessionOptions {
  /** The task model; its config is the run's configuration. */
  model: TaskModel;
  seeds: readonly number[];
  backend: SessionBackend;
  sink: SessionSink;
  store: SessionStore;
  resume?: ResumeFrom;
  /** Node: setImmediate; a worker: a MessageChannel round trip. Defaults to the first of those available. */
  yieldToHost?: () => Promise<void>;
  yieldEveryMs?: number;
  /** Milliseconds between interval saves (0: after every step). */
  saveEveryMs?: number;
  /** Milliseconds between progress events (0: after every step). */
  progressEveryMs?: number;
  /** The run identity of a new run (default: random). */
  trainingId?: string;
  activationBudgetFloats?: number;
  now?: () => number;
}

export interface SessionInfo {
  config: TrainingConfig;
  seeds: number[];
  backend: SessionBackend;
  trainingId: string;
  stepsPerEpoch: number;
  totalSteps: number;
  resumed: { epoch: number; batch: number; stepsDone: number; droppedRows: number; savedBackend: string } | null;
}

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
        await this.advance(false);
        const t = this.now();
        if (t - this.lastSave >= this.saveEveryMs) await this.flushNow('interval');
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
      this.sink({ type: 'error', message: e instanceof Error ? e.message : String(e) });
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

  private async advance(single: boolean): Promise<void> {
    this.trainer.step();
    const atCheckpoint = this.trainer.atCheckpoint();
    if (atCheckpoint) await this.checkpointNow();
    const t = this.now();
    if (single || atCheckpoint || this.trainer.done || t - this.lastProgress >= this.progressEveryMs) {
      this.lastProgress = t;
      this.sink(this.progressEvent());
    }
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
      throw new StoreFailure((e as Error)?.message ?? String(e), { cause: e });
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
