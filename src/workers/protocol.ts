/**
 * Every message between the page and its workers, as typed unions: the page and each worker import this one
 * file, and every handler switches over a union with an exhaustive `never` default, so a new message that is
 * not handled somewhere fails the type check.
 */
import type {
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
import type { FailureKind } from '../train/failures.ts';
import type { BackendName } from '../train/backendNames.ts';
import type { FlushReason, SessionBackend, SessionEvent } from '../train/session.ts';
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
    }
  | { type: 'cancel'; id: number };

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
  | { type: 'failed'; id: number; key: string; mode: 'full' | 'warm'; message: string };

/** What a train worker needs to train a group: the stored group's configuration, and its saved run when continuing. */
export interface TrainStart {
  type: 'start';
  groupId: string;
  config: TrainingConfig;
  seeds: number[];
  trainingId: string;
  backend: BackendName | 'auto';
  /** The stored bundle and encoded state to continue from exactly. */
  resume?: { bundle: RunBundle; state: Uint8Array };
  /** 'step': one step, then paused. */
  then: 'run' | 'step';
}

/** Page → train worker. */
export type TrainRequest = TrainStart | { type: 'pause' } | { type: 'resume' } | { type: 'step' } | { type: 'stop' };

/** Train worker → page. `stored`: a flush is in IndexedDB (rows, state and progress in one transaction). */
export type TrainReply =
  | {
      type: 'backend';
      groupId: string;
      /** threads: wasm's thread count (more than 1 only in a cross-origin isolated page). */
      backend: SessionBackend & { threads?: number };
      skipped: { name: string; why: string }[];
    }
  | { type: 'session'; groupId: string; event: SessionEvent }
  /** The session exists: from scratch, or continued from a saved step (rows after it are recomputed). */
  | { type: 'ready'; groupId: string; resumed: { stepsDone: number; droppedRows: number } | null }
  | { type: 'stored'; groupId: string; reason: FlushReason; checkpoints: number; stateBytes: number; ms: number }
  | { type: 'failed'; groupId: string; kind: FailureKind; message: string };

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
