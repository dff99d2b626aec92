/**
 * Data the analysis cannot make a map of, said as data: what is wrong and what the page can offer instead
 * (the numeric columns to pick features from). Thrown at once, before any fit, by prepareRuns and planSelection;
 * `problem` is plain data, so a worker can post it as it is.
 */

export type AnalysisInputProblem =
  | {
      kind: 'missing-features';
      /** The requested features no run has. */
      missing: string[];
      /** Numeric columns of the bundle that could be chosen instead (not `step`). */
      available: string[];
    }
  | { kind: 'no-features' | 'no-runs' }
  | { kind: 'too-few-runs'; usable: number; runs: number; needed: number }
  | {
      kind: 'too-few-checkpoints';
      /** Checkpoints of the training runs, and how many the smallest model asked for needs. */
      checkpoints: number;
      needed: number;
      runs: number;
      features: number;
    }
  | { kind: 'constant-features'; features: string[] };

export class AnalysisInputError extends Error {
  readonly problem: AnalysisInputProblem;
  constructor(message: string, problem: AnalysisInputProblem) {
    super(message);
    this.name = 'AnalysisInputError';
    this.problem = problem;
  }
}

/** The problem an error describes, when it is one of these (also across a worker boundary, where classes are lost). */
export function analysisInputProblem(e: unknown): AnalysisInputProblem | undefined {
  if (e instanceof AnalysisInputError) return e.problem;
  const p = (e as { problem?: { kind?: unknown } } | null)?.problem;
  return typeof p?.kind === 'string' ? (p as AnalysisInputProblem) : undefined;
}
