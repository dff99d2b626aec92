/** The one result type of an analysis (what the CLI prints, the page draws and an export holds), and its options. */
import type { BagOfStatesRegression } from './bagOfStates.ts';
import type { Dissimilarities } from './dissimilarity.ts';
import type { ForecastResult } from './forecast.ts';
import { ANALYSIS_DEFAULTS } from './defaults.ts';
import type { SelectionOptions, SelectionProgress, SelectionRow } from './selection.ts';
import type { HMMParams } from './hmm/types.ts';
import type { KChoice } from './kChoice.ts';
import type { TrainingMap } from './map.ts';
import type { StabilityReport } from './stability.ts';
import type { PreviousFit } from './stateNumbering.ts';
import type { SupportAcrossK } from './supportAcrossK.ts';

export const ANALYSIS_FORMAT = 'trainmap.analysis/1';

export interface AnalyzeOptions extends SelectionOptions {
  /** HMM features (columns); default the 14 weight metrics. */
  features?: string[];
  /** Eval accuracy above which a run counts as converged. */
  threshold?: number;
  accuracyColumn?: string;
  /**
   * A previous fit whose state identities (colours) should carry over: matched by the runs' decoded paths where
   * they are given (what both fits decoded of the same runs), otherwise by state means. Numbers still follow
   * first visits (method.md §7).
   */
  previous?: PreviousFit;
  onProgress?: (p: AnalysisProgress) => void;
}

/**
 * Where a long analysis is. After the fits: 'decode' (the shown fit; then each restart compared with it, and each
 * fit at another plausible K, with done/total) and 'map' (map and regression, then the dissimilarities).
 */
export type AnalysisProgress =
  | { phase: 'prepare' | 'decode' | 'map'; step?: AnalysisStep; done?: number; total?: number }
  | ({ phase: 'select' | 'stability' } & SelectionProgress);

export type AnalysisStep = 'shown-fit' | 'restarts' | 'other-k' | 'map' | 'dissimilarity';

/** The settings an analysis actually used, every default filled in (recorded in the exported analysis). */
export interface AnalysisSettings {
  threshold: number;
  accuracyColumn: string;
  restarts: number;
  seed: number;
  maxIterations: number;
  tolerance: number;
  covariancePrior: number;
  heldOutFraction: number;
  states: number | 'auto';
  kMin: number;
  kMax: number;
  init: string;
  kmeansInits: number;
  criterion: 'best' | 'mean';
  stabilityRestarts: number;
  comparableWithin: number;
  avoidDegenerate: boolean;
  stickyPrior: number;
  bootstrap: number;
  features: string[];
}

export function resolveSettings(options: AnalyzeOptions, features: readonly string[]): AnalysisSettings {
  const d = ANALYSIS_DEFAULTS;
  return {
    threshold: options.threshold ?? d.threshold,
    accuracyColumn: options.accuracyColumn ?? d.accuracyColumn,
    restarts: options.restarts ?? d.restarts,
    seed: options.seed ?? d.seed,
    maxIterations: options.maxIterations ?? d.maxIterations,
    tolerance: options.tolerance ?? d.tolerance,
    covariancePrior: options.covariancePrior ?? d.covariancePrior,
    heldOutFraction: options.heldOutFraction ?? d.heldOutFraction,
    states: options.states ?? 'auto',
    kMin: options.kMin ?? d.kMin,
    kMax: options.kMax ?? d.kMax,
    init: options.init ?? d.init,
    kmeansInits: options.kmeansInits ?? d.kmeansInits,
    criterion: options.criterion ?? d.criterion,
    stabilityRestarts: options.stabilityRestarts ?? d.stabilityRestarts,
    comparableWithin: options.comparableWithin ?? d.comparableWithin,
    avoidDegenerate: options.avoidDegenerate ?? d.avoidDegenerate,
    stickyPrior: options.stickyPrior ?? d.stickyPrior,
    bootstrap: options.bootstrap ?? d.bootstrap,
    features: [...features],
  };
}

/**
 * Something the reader of an analysis should know, as data: what kind, which run / feature / state it is
 * about where one applies, and a sentence. The CLI prints the sentence; the page can group and link by kind.
 */
export interface AnalysisWarning {
  kind:
    | 'run-excluded'
    | 'steps-reordered'
    | 'no-accuracy-column'
    | 'accuracy-missing'
    | 'feature-dropped'
    | 'feature-partly-constant'
    | 'previous-features-differ'
    | 'fit-repair'
    | 'few-held-out'
    | 'never-converged'
    | 'regression'
    | 'degenerate-fit'
    | 'degenerate-replaced'
    | 'indistinguishable-k'
    | 'k-at-top'
    | 'regression-not-significant';
  message: string;
  run?: string;
  feature?: string;
  state?: number;
  /** The states a warning is about when it concerns more than one (an alternating pair). */
  states?: number[];
  /** The K a caveat is about, and the Ks it names (the plausible Ks, for 'indistinguishable-k'). */
  k?: number;
  ks?: number[];
  /** 'degenerate-replaced': the degenerate best restart, and the clean restart shown instead. */
  restart?: number;
  replacedBy?: number;
  /** 'regression-not-significant': the F-test's p-value. */
  pValue?: number;
  /** 'few-held-out': how many runs were held out. */
  heldOutRuns?: number;
}

/**
 * The warnings that qualify how far the map can be trusted (as opposed to notes about the data): the page and the
 * CLI show every one of them with the map.
 */
export const CAVEAT_KINDS = [
  'degenerate-replaced',
  'degenerate-fit',
  'indistinguishable-k',
  'k-at-top',
  'few-held-out',
  'regression-not-significant',
] as const satisfies readonly AnalysisWarning['kind'][];

export type CaveatKind = (typeof CAVEAT_KINDS)[number];

export function caveatsOf(report: Pick<AnalysisReport, 'warnings'>): AnalysisWarning[] {
  return report.warnings.filter((w) => (CAVEAT_KINDS as readonly string[]).includes(w.kind));
}

export interface RunSummary {
  key: string;
  group: string;
  id: string;
  seed: number | null;
  checkpoints: number;
  included: boolean;
  excludedReason?: string;
  role?: 'train' | 'held-out';
  convergence?: { checkpoint: number; step: number | null; converged: boolean };
  path?: number[];
  occupancy?: number[];
}

export interface AnalysisReport {
  format: typeof ANALYSIS_FORMAT;
  settings: AnalysisSettings;
  /** Features the HMM used, in column order of the means and covariances. */
  features: string[];
  droppedFeatures: { feature: string; reason: string }[];
  runs: RunSummary[];
  normalization: { window: number; runs: { key: string; mean: number[]; std: number[] }[] };
  selection: {
    criterion: 'bic';
    /** How each K's restarts were reduced to one BIC: the best restart's, or their mean (the authors'). */
    kCriterion: 'best' | 'mean';
    chosenK: number;
    chosenKByBest: number;
    chosenKByMean: number;
    rows: SelectionRow[];
    nHeldOutObservations: number;
  };
  model: { params: HMMParams; logLikelihoodHistory: number[]; converged: boolean; iterations: number };
  map: TrainingMap;
  regression: BagOfStatesRegression | { skipped: string };
  detours: number[];
  dissimilarity: Dissimilarities;
  /**
   * How sure the map is: supports over comparable restarts at the chosen K, how firmly K was chosen, and the
   * supports over every plausible K (`acrossK`; absent in analyses exported before it existed).
   */
  stability:
    | (StabilityReport & { kChoice: KChoice; selectionRestart: number; acrossK?: SupportAcrossK })
    | { skipped: string; kChoice: KChoice };
  /** When each run that has not converged yet should converge, and how well that worked on the runs that did (absent in analyses exported before it existed). */
  forecast?: ForecastResult;
  warnings: AnalysisWarning[];
  /** Set on a warm refit (src/analysis/warmRefit.ts): the selection curves are those of the last full selection. */
  refit?: { mode: 'warm'; heldOutLogLikelihood: number };
}
