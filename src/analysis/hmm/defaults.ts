/**
 * The defaults of the HMM fit itself (EM, initialization, the degeneracy test): hmm/ reads only these and
 * numeric/, and src/analysis/defaults.ts spreads them into ANALYSIS_DEFAULTS, the one table the settings show.
 */
export const HMM_DEFAULTS = {
  /** Seeds the run split, k-means and every restart. */
  seed: 0,
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
} as const;
