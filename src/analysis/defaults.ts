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
} as const;
