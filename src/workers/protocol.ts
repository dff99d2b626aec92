/**
 * Every message between the page and its workers, as typed unions: the page and each worker import this one
 * file, and every handler switches over a union with an exhaustive `never` default, so a new message that is
 * not handled somewhere fails the type check.
 */
import type {
  AnalysisInputProblem,
  AnalysisProgress,
  AnalysisReport,
  AnalyzeOptions,
  FitJob,
  ObservationSet,
  SelectionOptions,
} from '../analysis/index.ts';
import type { ByteFile } from '../io/importBytes.ts';
import type { ImportProblem } from '../io/importFiles.ts';
import type { RunBundle } from '../io/runBundle.ts';
import type { BackendName } from '../train/backendNames.ts';
import type { FlushReason, SessionBackend, SessionEvent } from '../train/sessionTypes.ts';
import type { GroupRecord } from '../store/labDb.ts';
import type { GroupStatus } from '../train/groupStatus.ts';
import type { ProbeResult } from '../train/speedProbe.ts';
import type { TrainingConfig } from '../train/task.ts';

/** Page or analysis worker → fit worker (one model-selection restart at a time). */
export type FitWorkerRequest =
  | { type: 'init'; train: ObservationSet; heldOut: ObservationSet; options: SelectionOptions }
  | { type: 'job'; job: FitJob };

/** Analysis options that can cross a message boundary (no callbacks). */
export type AnalysisRequestOptions = Omit<AnalyzeOptions, 'onProgress'>;

/**
 * Page → analysis worker. 'full' runs model selection over K (restarts on fit workers); 'warm' refits at the
 * previous report's K from its parameters, its states matched to it, in a fraction of the time.
 */
export type AnalysisRequest =
  /** fitWorkers: how many fit workers the selection may use (every core, or one fewer while training runs). */
  | {
      type: 'analyze';
      id: number;
      key: string;
      mode: 'full';
      bundle: RunBundle;
      options: AnalysisRequestOptions;
      fitWorkers: number;
    }
  | {
      type: 'analyze';
      id: number;
      key: string;
      mode: 'warm';
      bundle: RunBundle;
      options: AnalysisRequestOptions;
      previous: AnalysisReport;
    };

/** Analysis worker → page. `key` names what was analyzed (a group, an import), so the page files results where they belong. */
export type AnalysisReply =
  | { type: 'progress'; id: number; key: string; progress: AnalysisProgress }
  | {
      type: 'report';
      id: number;
      key: string;
      mode: 'full' | 'warm';
      report: AnalysisReport;
      ms: number;
      /** Checkpoints of the longest run analyzed. */ checkpoints: number;
    }
  | {
      type: 'failed';
      id: number;
      key: string;
      mode: 'full' | 'warm';
      message: string;
      /** Data the analysis cannot make a map of, as data (what the page can offer instead); absent for other failures. */
      problem?: AnalysisInputProblem;
    };

/** A group the page asks a train worker to create: the page's choices; the worker writes the record. */
export interface NewGroup {
  id: string;
  sessionId: string;
  createdAt: number;
  settings: GroupRecord['settings'];
  config: TrainingConfig;
  seeds: number[];
  backendRequested: BackendName | 'auto';
}

/**
 * Page → train worker. `create` or `start` comes first and names the group; the worker reads everything else from
 * IndexedDB. `then: 'step'` takes one step and pauses. `takeOver`: when another tab trains the group, ask it to
 * hand the group over (it stops after its current step and saves) and continue here. `backend`: train on this one from
 * now on (the offer made when the group's backend failed to start).
 */
export type TrainRequest =
  | { type: 'create'; group: NewGroup; then: 'run' | 'step' }
  | { type: 'start'; groupId: string; then: 'run' | 'step'; takeOver: boolean; backend?: BackendName }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step' }
  | { type: 'stop' };

/** A tab → the worker that trains a group, in any tab (over the TRAIN_COMMANDS channel). */
export type TrainCommand = { type: 'hand-over'; groupId: string };

/** What a train worker reports, one event per fact. */
export type TrainEvent =
  | Extract<SessionEvent, { type: 'progress' | 'checkpoint' | 'diverged' }>
  /** The group's status, as stored (written before it is reported). */
  | { type: 'status'; status: GroupStatus; reason?: string }
  | { type: 'backend'; backend: SessionBackend; skipped: { name: string; why: string }[] }
  /** The group's backend could not start; `backend` did start in this worker, so the page may offer it. */
  | { type: 'offer'; failed: BackendName | 'auto'; backend: BackendName }
  /** The session exists: from scratch, or continued from a saved step (rows above keptThrough are recomputed). */
  | { type: 'ready'; resumed: { stepsDone: number; droppedRows: number; keptThrough: number } | null }
  /** A flush is in IndexedDB: rows, state and counts in one transaction. */
  | { type: 'saved'; reason: FlushReason; stepsDone: number; checkpoints: number; stateBytes: number; ms: number }
  /** Another tab's worker trains this group: this worker did not start (`why`: what it tried) and ends. */
  | { type: 'held'; why: string }
  /** This worker handed the group to a worker in another tab, everything saved, and ends. */
  | { type: 'released' };

/** Train worker → its page, and to every tab over the TRAIN_EVENTS channel. */
export type TrainReply = { groupId: string } & TrainEvent;

/** Page → probe worker: train this setup a few steps on this backend, keeping nothing, and say how fast it went. */
export type ProbeRequest = {
  type: 'probe';
  config: TrainingConfig;
  seeds: number[];
  backend: BackendName | 'auto';
  maxSteps: number;
  maxMs: number;
};

/** Probe worker → page. `backend`: the one that started (with `auto`, the one chosen). */
export type ProbeReply =
  | { type: 'progress'; backend: string; stepsDone: number; elapsedMs: number }
  | { type: 'measured'; backend: string; result: ProbeResult }
  | { type: 'failed'; message: string };

/** Page → import worker: files to read into one bundle (their bytes move to the worker). */
export type ImportRequest = { type: 'import'; id: number; files: ByteFile[] };

/** Import worker → page. */
export type ImportReply =
  | { type: 'progress'; id: number; message: string }
  | {
      type: 'imported';
      id: number;
      bundle: RunBundle;
      notes: string[];
      /** Files or runs that could not be read, each with its located reason (the page offers to go on without them). */
      skipped: ImportProblem[];
      analysis: AnalysisReport | null;
      analysisProblem: string | null;
    }
  | { type: 'failed'; id: number; message: string };

/** The default branch of every switch over these unions: a message type nobody handles fails the type check. */
export function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
