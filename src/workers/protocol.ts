/**
 * Every message between the page and its workers, as typed unions: the page and each worker import this one
 * file, and every handler switches over a union with an exhaustive `never` default, so a new message that is
 * not handled somewhere fails the type check.
 */
import type { AnalysisProgress, AnalysisReport, AnalyzeOptions, FitJob, ObservationSet, SelectionOptions } from '../analysis/index.ts';
import type { RunBundle } from '../io/runBundle.ts';
import type { FailureKind } from '../train/failures.ts';
import type { FlushReason, SessionBackend, SessionEvent } from '../train/session.ts';

/** Page or analysis worker → fit worker (one model-selection restart at a time). */
export type FitWorkerRequest = { type: 'init'; train: ObservationSet; heldOut: ObservationSet; options: SelectionOptions } | { type: 'job'; job: FitJob };

/** Analysis options that can cross a message boundary (no callbacks). */
export type AnalysisRequestOptions = Omit<AnalyzeOptions, 'onProgress'>;

/**
 * Page → analysis worker. 'full' runs model selection over K (restarts on fit workers); 'warm' refits at the
 * previous report's K from its parameters, its states matched to it, in a fraction of the time.
 */
export type AnalysisRequest =
  | { type: 'analyze'; id: number; key: string; mode: 'full'; bundle: RunBundle; options: AnalysisRequestOptions }
  | { type: 'analyze'; id: number; key: string; mode: 'warm'; bundle: RunBundle; options: AnalysisRequestOptions; previous: AnalysisReport }
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

/**
 * Page → train worker. The worker reads the group (configuration, seeds, backend asked for) from IndexedDB,
 * where the page stored it before starting, so what trains is exactly what is persisted.
 */
export type TrainRequest =
  | { type: 'start'; groupId: string; resume: boolean; /** 'step': one step, then paused. */ then: 'run' | 'step' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step' }
  | { type: 'stop' };

/** Train worker → page. */
export type TrainReply =
  | { type: 'backend'; groupId: string; backend: SessionBackend; skipped: { name: string; why: string }[] }
  | { type: 'session'; groupId: string; event: SessionEvent }
  | { type: 'stored'; groupId: string; reason: FlushReason; rows: number; stateBytes: number; ms: number }
  | { type: 'failed'; groupId: string; kind: FailureKind; message: string };
