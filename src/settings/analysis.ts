/** Every setting of an analysis: `trainmap analyze`'s flags and the lab's analysis controls. Defaults come from ANALYSIS_DEFAULTS. */
import type { AnalyzeOptions } from '../analysis/analysisReport.ts';
import { ANALYSIS_DEFAULTS as D } from '../analysis/defaults.ts';
import { checkSetting, SettingError, type SettingSpec } from './spec.ts';
import type { SettingValues } from './training.ts';

export const ANALYSIS_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'states',
    type: 'integer',
    help: "number of HMM states, or 'auto' for BIC model selection over K = 1..k-max",
    words: ['auto'],
    default: 'auto',
    min: 1,
    surface: 'both',
  },
  {
    name: 'k-max',
    type: 'integer',
    help: 'largest K tried by model selection',
    default: D.kMax,
    min: 1,
    max: 30,
    surface: 'both',
  },
  {
    name: 'restarts',
    type: 'integer',
    help: 'seeded restarts per K (the best held-out log-likelihood is kept)',
    default: D.restarts,
    min: 1,
    max: 100,
    surface: 'both',
  },
  {
    name: 'seed',
    type: 'integer',
    help: 'seed for the run split, k-means and restarts',
    default: D.seed,
    min: 0,
    max: 2 ** 31 - 1,
    surface: 'both',
  },
  {
    name: 'threshold',
    type: 'number',
    help: 'accuracy above which a run counts as converged',
    default: D.threshold,
    min: 0,
    max: 1,
    surface: 'both',
  },
  {
    name: 'accuracy-column',
    type: 'string',
    help: 'the column holding the accuracy that defines convergence',
    default: D.accuracyColumn,
    surface: 'both',
  },
  {
    name: 'features',
    type: 'string',
    help: 'comma-separated feature columns',
    defaultText: 'the 14 weight metrics',
    surface: 'both',
  },
  {
    name: 'max-iterations',
    type: 'integer',
    help: 'EM iterations per restart at most',
    default: D.maxIterations,
    min: 1,
    max: 10000,
    surface: 'both',
  },
  {
    name: 'init',
    type: 'string',
    help: "HMM start: hmmlearn's (Dirichlet rows), sticky transitions, or mixed (restarts alternate; held-out likelihood decides)",
    default: D.init,
    choices: ['hmmlearn', 'sticky', 'mixed'],
    surface: 'both',
  },
  {
    name: 'criterion',
    type: 'string',
    help: "how each K's restarts are scored: the best restart's BIC, or the mean BIC over restarts (the authors' way); both choices are reported",
    default: D.criterion,
    choices: ['best', 'mean'],
    surface: 'both',
  },
  {
    name: 'stability-restarts',
    type: 'integer',
    help: 'restarts at the chosen K for the stability of the map (the supports of edges, detours and the verdict); 0 = none',
    default: D.stabilityRestarts,
    min: 0,
    max: 200,
    surface: 'both',
  },
  {
    name: 'comparable-within',
    type: 'number',
    help: 'nats per held-out checkpoint within which a restart counts as comparable to the best (for the supports and the degeneracy guard)',
    default: D.comparableWithin,
    min: 0,
    max: 100,
    surface: 'both',
  },
  {
    name: 'avoid-degenerate',
    type: 'boolean',
    help: 'prefer a comparable restart without alternating or flickering states to a better degenerate one (--avoid-degenerate=false to keep the best)',
    default: D.avoidDegenerate,
    surface: 'both',
  },
  {
    name: 'sticky-prior',
    type: 'number',
    help: 'pseudo-counts added to every self-transition in EM (a sticky Dirichlet prior on the transition rows); 0 = maximum likelihood',
    default: D.stickyPrior,
    min: 0,
    max: 1e6,
    surface: 'both',
  },
  {
    name: 'bootstrap',
    type: 'integer',
    help: 'bootstrap replicates over runs for the stability of K (each refits every K; costs replicates × the model selection)',
    default: D.bootstrap,
    min: 0,
    max: 200,
    surface: 'both',
  },
];

/** Flags of `trainmap analyze` about files, threads and the terminal. */
export const ANALYZE_CLI_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'workers',
    type: 'integer',
    help: 'worker threads for restarts (0 = this thread)',
    defaultText: 'one per core',
    min: 0,
    max: 64,
    surface: 'cli',
  },
  {
    name: 'previous',
    type: 'string',
    help: 'an earlier analysis (.analysis.json) whose state numbering to keep',
    surface: 'cli',
  },
  {
    name: 'out',
    type: 'string',
    help: 'where to write the analysis (the bundle plus its analysis, JSON)',
    defaultText: '<bundle>.analysis.json',
    surface: 'cli',
  },
  { name: 'quiet', type: 'boolean', help: 'print no summary', surface: 'cli' },
  {
    name: 'forecast',
    type: 'boolean',
    help: 'list the convergence forecast of every run not converged yet (on a partial bundle: when each should converge)',
    surface: 'cli',
  },
];

function value(values: SettingValues, name: string): unknown {
  const spec = ANALYSIS_SETTINGS.find((s) => s.name === name)!;
  const v = values[name];
  return v === undefined ? undefined : checkSetting(spec, v);
}

/** Analysis options from setting values; absent values stay absent so the analysis fills in its defaults (and records them). */
export function analyzeOptions(values: SettingValues): AnalyzeOptions {
  const states = value(values, 'states') as number | 'auto' | undefined;
  const rawFeatures = value(values, 'features') as string | undefined;
  const features =
    rawFeatures === undefined
      ? undefined
      : rawFeatures
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
  if (features && features.length === 0)
    throw new SettingError('features', '--features needs at least one column name');
  const accuracyColumn = value(values, 'accuracy-column') as string | undefined;
  if (accuracyColumn !== undefined && accuracyColumn.trim() === '')
    throw new SettingError('accuracy-column', '--accuracy-column needs a column name');
  return {
    states: states === 'auto' ? undefined : states,
    kMax: value(values, 'k-max') as number | undefined,
    restarts: value(values, 'restarts') as number | undefined,
    seed: value(values, 'seed') as number | undefined,
    threshold: value(values, 'threshold') as number | undefined,
    accuracyColumn,
    maxIterations: value(values, 'max-iterations') as number | undefined,
    init: value(values, 'init') as AnalyzeOptions['init'],
    criterion: value(values, 'criterion') as AnalyzeOptions['criterion'],
    stabilityRestarts: value(values, 'stability-restarts') as number | undefined,
    comparableWithin: value(values, 'comparable-within') as number | undefined,
    avoidDegenerate: value(values, 'avoid-degenerate') as boolean | undefined,
    stickyPrior: value(values, 'sticky-prior') as number | undefined,
    bootstrap: value(values, 'bootstrap') as number | undefined,
    features,
  };
}
