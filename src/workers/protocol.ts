/**
 * Every message between the page and its workers, as typed unions: the page and each worker import this one
 * file, and every handler switches over a union with an exhaustive `never` default, so a new message that is
 * not handled somewhere fails the type check.
 */
import type { AnalysisProgress, AnalysisReport, AnalyzeOptions, FitJob, ObservationSet, SelectionOptions } from '../analysis/index.ts';
import type { RunBundle } from '../io/runBundle.ts';

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
  | { type: 'report'; id: number; key: string; mode: 'full' | 'warm'; report: AnalysisReport; ms: number; checkpoints: number }
  | { type: 'failed'; id: number; key: string; mode: 'full' | 'warm'; message: string };
