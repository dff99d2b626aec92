/**
 * Every default of the analysis, in one place: the method's constants (SPEC §5–§8) and the pipeline's
 * choices. The settings table (src/settings/) shows these in help, controls and URLs; nothing repeats them.
 */
export const ANALYSIS_DEFAULTS = {
  /** K swept by model selection. */
  kMin: 1,
  kMax: 8,
  /** Seeded EM restarts per K; the best held-out log-likelihood is kept. */
  restarts: 5,
  /** Seeds the run split, k-means and every restart. */
  seed: 0,
  heldOutFraction: 0.2,
  /** The authors' iteration cap and hmmlearn's tolerance. */
  maxIterations: 32,
  tolerance: 0.01,
  /** hmmlearn's covars_prior, added to every covariance entry in the M-step. */
  covariancePrior: 0.01,
  /**
   * hmmlearn's start. The sticky start avoids the anti-sticky rows Dirichlet(1/K) sometimes draws (EM can then
   * settle on states that alternate every checkpoint), but over 5 restarts hmmlearn's start reached an equal or
   * higher best held-out log-likelihood in 23 of 28 data set × K cases (bench/results/hmm-init-comparison.json).
   */
  init: 'hmmlearn',
  /** k-means initializations per fit (best inertia kept). */
  kmeansInits: 2,
  /** Eval accuracy above which a run counts as converged (SPEC §3, §8). */
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
  /**
   * A state is degenerate when its mean dwell in the Viterbi paths is below this many checkpoints and at
   * least `degenerateRunShare` of the runs visit it, or when it alternates with another such state
   * (i→j and j→i both at least `alternationProbability`). Normal states of the paper's sparse parity
   * dwell 14–120 checkpoints; the alternating pairs found there dwell 1.0.
   */
  degenerateDwell: 2,
  degenerateRunShare: 0.5,
  alternationProbability: 0.5,
  /**
   * Pseudo-counts added to every self-transition in the M-step (a sticky Dirichlet prior); 0 = maximum
   * likelihood, as hmmlearn and the authors. κ = 100 removed every degenerate fit (0 of 120 vs 50 of 120;
   * 2 real sets and a sampled one, K = 5…8, 10 restarts) but its best clean held-out likelihood was lower in
   * 4 of the 12 cases, by up to 0.32 nats per held-out checkpoint (bench/results/hmm-sticky-prior.json); the
   * degeneracy guard already avoids such fits, so the prior stays an option.
   */
  stickyPrior: 0,
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
