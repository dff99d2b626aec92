import { HMM_DEFAULTS } from './hmm/defaults.ts';

/**
 * Every default of the analysis, in one place: the method's constants (method.md §5–§9) and the pipeline's
 * choices. The settings table (src/settings/) shows these in help, controls and URLs; nothing repeats them.
 */
export const ANALYSIS_DEFAULTS = {
  ...HMM_DEFAULTS,
  /** K swept by model selection. */
  kMin: 1,
  kMax: 8,
  /** Seeded EM restarts per K; the best held-out log-likelihood is kept. */
  restarts: 5,
  heldOutFraction: 0.2,
  /** Eval accuracy above which a run counts as converged (method.md §2.6, §9). */
  threshold: 0.9,
  accuracyColumn: 'eval_acc',
  /**
   * How K is chosen from each K's restarts: 'best' scores the best restart (the model that is used); 'mean'
   * averages BIC over the restarts, as the authors' model_selection.py compares them.
   */
  criterion: 'best',
  /**
   * Seeded restarts at the chosen K for the stability report (the model-selection restarts at that K count
   * among them). One fit of 32×300×14 at K=6 takes about 0.2 s here (bench/results/hmm-stability.json).
   */
  stabilityRestarts: 20,
  /**
   * Fits whose held-out log-likelihood is within this many nats per held-out checkpoint of the best are
   * "comparable". The standard error of the held-out gap between the best restart and one within 0.3 of
   * it, paired over the held-out runs, is 0.065–0.109 (median 0.081) on the paper's sparse parity at K=6,
   * 0.110–0.157 on seeds 40–79 at K=7 and 0.164 on a sampled forking HMM (bench/results/hmm-stability.json):
   * 0.2 is about two such standard errors, a gap the 8 held-out runs cannot tell from noise.
   */
  comparableWithin: 0.2,
  /** Prefer, within the tolerance above, the best fit without degenerate (alternating or flickering) states. */
  avoidDegenerate: true,
  /** Bootstrap replicates over runs for the stability of K (each refits every K); 0 = none. */
  bootstrap: 0,
  /** Resamples of the restarts (with replacement, per K) that measure how often each K would win. */
  restartResamples: 1000,
  /** Another K that wins at least this share of the resamples is reported as indistinguishable from the chosen one. */
  indistinguishableShare: 0.2,
  /**
   * How states of another fit are matched to the shown fit's: Hungarian on the distance between state means,
   * or on the checkpoints both Viterbi paths share. Both match every state as the truth does on fits of a
   * sampled HMM that recover it; over all restarts means matching is the more cycle-consistent (best→f→g
   * equals best→g for 94% vs 78% of states on the paper's sparse parity, 83% vs 60% on seeds 40–79;
   * bench/results/hmm-stability.json), so it is the default.
   */
  stabilityMatching: 'means',
} as const;
