/**
 * When each run memorized and when it generalized (issue #16 §5): the first checkpoint with train accuracy at or
 * above the memorization threshold, the first with eval accuracy at or above the convergence threshold
 * (method.md §9), and the grokking gap between them. Plain arrays in, plain numbers out.
 */
import { column, type Run, type RunBundle } from '../io/runBundle.ts';

/** Train accuracy at which a run counts as having memorized its training set. */
export const MEMORIZATION_THRESHOLD = 0.99;

export interface RunMilestones {
  group: string;
  run: string;
  seed: number | null;
  /** Step (and epoch, when the run has that column) of the first checkpoint with train_acc ≥ the threshold. */
  memorized: number | null;
  memorizedEpoch: number | null;
  /** Eval accuracy at that checkpoint: below 0.5 the run memorized first, the grokking picture. */
  evalAtMemorized: number | null;
  /** Step (and epoch) of the first checkpoint with eval_acc ≥ the convergence threshold. */
  generalized: number | null;
  generalizedEpoch: number | null;
  /** generalized − memorized in steps, when both happened. */
  gapSteps: number | null;
}

/** The first index at which `values` reaches `threshold` (finite values only), or −1. */
export function firstAtOrAbove(values: readonly number[], threshold: number): number {
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]) && values[i] >= threshold) return i;
  return -1;
}

export function runMilestones(
  run: Run,
  group: string,
  threshold: number,
  memorization = MEMORIZATION_THRESHOLD,
): RunMilestones {
  const cp = run.checkpoints;
  const trainAcc = column(cp, 'train_acc') ?? [];
  const evalAcc = column(cp, 'eval_acc') ?? [];
  const epoch = column(cp, 'epoch');
  const m = firstAtOrAbove(trainAcc, memorization);
  const g = firstAtOrAbove(evalAcc, threshold);
  const at = (i: number, values: readonly number[] | undefined) => (i >= 0 && values ? values[i] : null);
  return {
    group,
    run: run.id,
    seed: run.seed ?? null,
    memorized: at(m, cp.step),
    memorizedEpoch: at(m, epoch),
    evalAtMemorized: at(m, evalAcc),
    generalized: at(g, cp.step),
    generalizedEpoch: at(g, epoch),
    gapSteps: m >= 0 && g >= 0 ? cp.step[g] - cp.step[m] : null,
  };
}

/** Milestones of every run of every group, in bundle order. */
export function bundleMilestones(
  bundle: RunBundle,
  threshold: number,
  memorization = MEMORIZATION_THRESHOLD,
): RunMilestones[] {
  return bundle.groups.flatMap((g) => g.runs.map((r) => runMilestones(r, g.name, threshold, memorization)));
}
