/**
 * The words the lab uses, in plain language: the 14 weight metrics (docs/method.md §3, the paper's Appendix B table)
 * and every statistical term the map, the panels and the CLI summary show, one line each. Pure data and lookups, so
 * the page, the figure and the terminal say the same thing.
 */
import { safeText } from '../io/safeText.ts';

/** How a metric's movement reads in words: what a rise, a fall, a high and a low level mean. */
export interface MetricWords {
  rise: string;
  fall: string;
  high: string;
  low: string;
}

/** Metrics that move together in plain terms share a group, so a state's headline names the idea once. */
export type MetricGroup = 'size' | 'stretch' | 'sparsity' | 'centre' | 'bias' | 'bias-spread' | 'spectrum' | 'diagonal';

export interface MetricEntry {
  /** Short plain name, e.g. "weight variance". */
  name: string;
  /** One line: what it measures and how to read it. */
  line: string;
  group: MetricGroup;
}

const GROUP_WORDS: Record<MetricGroup, MetricWords> = {
  size: { rise: 'weights grow', fall: 'weights shrink', high: 'large weights', low: 'small weights' },
  stretch: {
    rise: 'singular values grow',
    fall: 'singular values shrink',
    high: 'large singular values',
    low: 'small singular values',
  },
  sparsity: {
    rise: 'weights spread out',
    fall: 'weights concentrate',
    high: 'spread-out weights',
    low: 'sparse weights',
  },
  centre: { rise: 'weights shift up', fall: 'weights shift down', high: 'high weights', low: 'low weights' },
  bias: { rise: 'biases rise', fall: 'biases fall', high: 'high biases', low: 'low biases' },
  'bias-spread': {
    rise: 'biases spread apart',
    fall: 'biases draw together',
    high: 'widely spread biases',
    low: 'tightly packed biases',
  },
  spectrum: {
    rise: 'stretch grows uneven',
    fall: 'stretch evens out',
    high: 'uneven stretch',
    low: 'even stretch',
  },
  diagonal: { rise: 'diagonals grow', fall: 'diagonals shrink', high: 'large diagonals', low: 'small diagonals' },
};

/** The 14 metrics, keyed by their column names (docs/method.md §3). */
export const METRICS: Readonly<Record<string, MetricEntry>> = Object.freeze({
  l1: {
    name: 'L1 norm',
    line: 'Sum of the absolute values of the weights, averaged over the weight matrices: how large the weights are overall.',
    group: 'size',
  },
  l2: {
    name: 'L2 norm',
    line: 'Square root of the sum of squared weights, averaged over the weight matrices: weight size, dominated by the largest weights.',
    group: 'size',
  },
  l1_over_l2: {
    name: 'L1/L2 ratio',
    line: 'L1 norm over L2 norm per matrix, averaged: lower means sparser weights, a few large weights carrying each matrix.',
    group: 'sparsity',
  },
  weight_mean: { name: 'mean weight', line: 'The average of all weights.', group: 'centre' },
  weight_median: { name: 'median weight', line: 'The middle value of all weights.', group: 'centre' },
  weight_var: {
    name: 'weight variance',
    line: 'How widely the weight values spread around their mean; with weights near zero, a measure of their size.',
    group: 'size',
  },
  bias_mean: { name: 'mean bias', line: 'The average of all biases (kept apart from the weights).', group: 'bias' },
  bias_median: { name: 'median bias', line: 'The middle value of all biases.', group: 'bias' },
  bias_var: { name: 'bias variance', line: 'How widely the biases spread around their mean.', group: 'bias-spread' },
  trace: {
    name: 'trace',
    line: "Sum of a matrix's diagonal entries, averaged over the weight matrices.",
    group: 'diagonal',
  },
  spectral: {
    name: 'spectral norm',
    line: "A matrix's largest singular value (the most it can stretch any input), averaged over the matrices.",
    group: 'stretch',
  },
  trace_over_spectral: {
    name: 'trace / spectral norm',
    line: 'The trace divided by the largest singular value, averaged: the diagonal relative to the strongest direction.',
    group: 'diagonal',
  },
  sv_mean: {
    name: 'mean singular value',
    line: 'The average singular value: how much the matrices stretch inputs, on average over directions.',
    group: 'stretch',
  },
  sv_var: {
    name: 'singular value variance',
    line: 'How unequal the singular values are: high when a few directions dominate.',
    group: 'spectrum',
  },
});

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Longest name of another column shown in words; the rest is cut with an ellipsis. */
const NAME_CHARS = 28;

/** A metric's plain name; any other column keeps its own name, as text and cut to fit a label. */
export function metricName(feature: string): string {
  if (own(METRICS, feature)) return METRICS[feature].name;
  const text = [...safeText(feature, 4 * NAME_CHARS + 40)];
  return text.length > NAME_CHARS ? `${text.slice(0, NAME_CHARS - 1).join('')}…` : text.join('');
}

/** What a metric measures, in one line; for a column that is not one of the 14, says so. */
export function metricLine(feature: string): string {
  return own(METRICS, feature)
    ? METRICS[feature].line
    : `${feature}: a column of the imported data, not one of the 14 weight metrics.`;
}

/** The group a feature belongs to for headlines (a column of its own when it is not one of the 14). */
export function metricGroup(feature: string): string {
  return own(METRICS, feature) ? METRICS[feature].group : `column:${metricName(feature)}`;
}

/** The words for a group's movement (a column outside the 14 speaks for itself). */
export function groupWords(group: string): MetricWords {
  if (own(GROUP_WORDS, group)) return GROUP_WORDS[group as MetricGroup];
  const name = group.replace(/^column:/, '');
  return { rise: `${name} rises`, fall: `${name} falls`, high: `high ${name}`, low: `low ${name}` };
}

export type TermId =
  | 'state'
  | 'K'
  | 'restart'
  | 'held-out'
  | 'held-out-ll'
  | 'bic'
  | 'aic'
  | 'indistinguishable-k'
  | 'checkpoint'
  | 'sd'
  | 'occupancy'
  | 'mean-first-visit'
  | 'transition'
  | 'linear'
  | 'forking'
  | 'converged'
  | 'censored'
  | 'coefficient'
  | 'r2'
  | 'f-test-p'
  | 'detour'
  | 'comparable-restarts'
  | 'support'
  | 'degenerate'
  | 'dissimilarity'
  | 'label-free-dissimilarity';

export interface Term {
  /** The term as the page writes it. */
  term: string;
  /** One line in plain words. */
  line: string;
}

export const TERMS: Readonly<Record<TermId, Term>> = Object.freeze({
  state: {
    term: 'state',
    line: 'A pattern of the weight metrics that the model recognizes; every checkpoint of every run is assigned to one state.',
  },
  K: {
    term: 'K',
    line: 'The number of states the model uses: chosen by BIC on held-out runs unless it was fixed.',
  },
  restart: {
    term: 'restart',
    line: 'One fit of the model from another random starting point; different restarts can land on different maps.',
  },
  'held-out': {
    term: 'held-out runs',
    line: 'Runs kept out of the fit (a fifth of them) to score how well each K describes runs it has not seen.',
  },
  'held-out-ll': {
    term: 'held-out log-likelihood',
    line: 'How probable the fitted model finds the held-out runs: higher means it describes unseen runs better.',
  },
  bic: {
    term: 'BIC',
    line: 'Bayesian information criterion: −2 × held-out log-likelihood plus a penalty per parameter; the lowest wins, so every extra state must earn its keep.',
  },
  aic: {
    term: 'AIC',
    line: 'Akaike information criterion: like BIC with a smaller penalty per parameter, so it tends to favour more states.',
  },
  'indistinguishable-k': {
    term: 'indistinguishable K',
    line: 'Another K that wins at least a fifth of the time when the restarts are resampled: the data cannot choose between them.',
  },
  checkpoint: {
    term: 'checkpoint',
    line: 'A snapshot of a run during training, where the 14 weight metrics and the accuracies are measured.',
  },
  sd: {
    term: 'SD',
    line: 'Standard deviations of a metric within each run: every run is standardized on its own, so changes read in these units.',
  },
  occupancy: { term: 'occupancy', line: 'The share of all checkpoints that sit in a state.' },
  'mean-first-visit': {
    term: 'mean first visit',
    line: 'The average checkpoint at which runs first enter a state (over the runs that enter it).',
  },
  transition: {
    term: 'transition',
    line: 'An arrow j → k: at least one run moves from state j to state k.',
  },
  linear: {
    term: 'linear',
    line: 'Every run walks the same chain of states in order (some start later or stop earlier).',
  },
  forking: {
    term: 'forking',
    line: 'Runs take different routes through the states: the map has a fork, a merge or a way back.',
  },
  converged: {
    term: 'converged',
    line: 'A run converges at its first checkpoint whose eval accuracy is above the threshold (0.9 by default).',
  },
  censored: {
    term: 'censored',
    line: 'A run that has not converged by its last checkpoint: its convergence time is only known to be later, and it counts as the longest run’s length.',
  },
  coefficient: {
    term: 'coefficient',
    line: 'From the regression: how many checkpoints later a run converges per unit of occupancy of the state.',
  },
  r2: {
    term: 'R²',
    line: 'The share of the spread in convergence times that the time spent in each state explains (0: none, 1: all).',
  },
  'f-test-p': {
    term: 'F-test p',
    line: 'The chance of an R² this large if the states said nothing about convergence time; below 0.05 counts as significant.',
  },
  detour: {
    term: 'detour',
    line: 'A state that goes with later convergence (positive coefficient) and that some converged runs never visit.',
  },
  'comparable-restarts': {
    term: 'comparable restarts',
    line: 'Restarts whose held-out log-likelihood is within 0.2 nats per checkpoint of the best: the data cannot tell them apart.',
  },
  support: {
    term: 'support',
    line: 'The share of comparable fits that agree: on an arrow, a detour, or the linear/forking verdict.',
  },
  degenerate: {
    term: 'degenerate fit',
    line: 'A fit with states that alternate or flicker every checkpoint; a clean fit is shown instead when one is comparable.',
  },
  dissimilarity: {
    term: 'dissimilarity',
    line: 'How differently pairs of runs spend their time across the states, averaged over all pairs (0: all alike).',
  },
  'label-free-dissimilarity': {
    term: 'label-free dissimilarity',
    line: 'The same, with states compared by how far apart their metrics are, so it does not depend on how states are numbered.',
  },
});

/** "BIC: Bayesian information criterion: …" for a tooltip or a footnote. */
export function explainTerm(id: TermId): string {
  const t = TERMS[id];
  return `${t.term}: ${t.line}`;
}
