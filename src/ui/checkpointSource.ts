/**
 * Where the checkpoints the lab shows come from: a training group (live), the recorded sample, an import, a joint
 * fit of groups, and a replay of recorded runs (replaySource.ts). Each is a CheckpointSource: a bundle that may grow, and a
 * signal when it does. What is shown (shown.svelte.ts) keeps one LiveAnalysis per source, fed by that signal, so
 * a new kind of source needs nothing from the training code, and the training code nothing from it.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import type { RunBundle } from '../io/runBundle.ts';
import type { AnalysisRequestOptions } from '../workers/protocol.ts';

export type SourceKind = 'sample' | 'group' | 'import' | 'pooled' | 'replay';

/** grew: rows were appended; truncated: rows were dropped (to be recomputed); ended: no more will come. */
export type SourceChange = 'grew' | 'truncated' | 'ended';

export interface CheckpointSource {
  /** Unique among the lab's sources; names the analyses of this source. */
  readonly key: string;
  readonly kind: SourceKind;
  /** Grows in place as checkpoints arrive. */
  readonly bundle: RunBundle;
  /** A heading, and a line about where the checkpoints come from. */
  readonly title: string;
  readonly about: string;
  /** Options of the source's own for its analysis (a group's convergence threshold). */
  readonly analysisDefaults: AnalysisRequestOptions;
  /** Options that win over the page's analysis settings (a replay reproduces the analysis it was shipped with). */
  readonly analysisOverrides?: AnalysisRequestOptions;
  /** An analysis made earlier (stored with a group, shipped with the sample, in an imported file), shown at once. */
  readonly initialReport: AnalysisReport | null;
  /** Whether to analyze at once even with an initial report (an imported analysis is shown as it was). */
  readonly analyzeAtOnce: boolean;
  /** Every checkpoint is there already: nothing will be appended (the sample, an import, a joint fit). */
  readonly complete?: boolean;
  /** What the import of this source noted (format, mapping, what was left out): it belongs to this source only. */
  readonly importNotes?: readonly string[];
  subscribe(listener: (change: SourceChange) => void): () => void;
}

/** The listeners of a source, and the signal it sends them. */
export class SourceSignal {
  private listeners = new Set<(change: SourceChange) => void>();

  subscribe(listener: (change: SourceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: SourceChange): void {
    for (const l of this.listeners) l(change);
  }
}

/** Checkpoints that are all there at once: the sample, an import, a joint fit. */
export class FixedSource implements CheckpointSource {
  readonly analysisDefaults: AnalysisRequestOptions = {};
  readonly complete = true;
  private readonly signal = new SourceSignal();

  constructor(
    readonly key: string,
    readonly kind: SourceKind,
    readonly bundle: RunBundle,
    readonly title: string,
    readonly about: string,
    readonly initialReport: AnalysisReport | null = null,
    readonly analyzeAtOnce = true,
    readonly importNotes: readonly string[] = [],
  ) {}

  subscribe(listener: (change: SourceChange) => void): () => void {
    return this.signal.subscribe(listener);
  }
}
