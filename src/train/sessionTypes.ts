/**
 * What the training session (session.ts) speaks: the events it sends its host's sink, the flushes it hands its
 * store, the saved run it resumes from, and its options. All plain, structured-clone-able data.
 */
import type { RunBundle } from '../io/runBundle.ts';
import type { SeedCheckpoint } from './batchedTrainer.ts';
import type { SavedState } from './stateCodec.ts';
import type { TaskModel, TrainingConfig } from './task.ts';

export interface SessionBackend {
  name: string;
  reason: string;
  adapter?: string;
  /** wasm's thread count (more than 1 only in a cross-origin isolated page). */
  threads?: number;
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
  /**
   * A checkpoint saves at once when at least this many milliseconds passed since the last save (default: never
   * at checkpoints, only every `saveEveryMs`). The lab saves each checkpoint within a second this way, so a
   * reload or another tab sees it, without a transaction per checkpoint on fast runs.
   */
  saveAtCheckpointMs?: number;
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
  resumed: {
    epoch: number;
    batch: number;
    stepsDone: number;
    droppedRows: number;
    /** Rows with a step above this were dropped (the session recomputes them): what a copy of the rows drops too. */
    keptThrough: number;
    savedBackend: string;
  } | null;
}
