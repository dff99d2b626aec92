/**
 * A recorded bundle cut back to its first n checkpoints: what a training run would have written by then. The
 * checkpoints are the sorted steps of every run of every group (a training group's runs share them; a diverged run
 * just stops), so checkpoint n is the n-th distinct step and a prefix holds every row up to it.
 */
import { type Checkpoints, type Run, type RunBundle } from '../io/runBundle.ts';

/** The distinct steps of every run, ascending: the replay's checkpoints. */
export function checkpointSteps(bundle: RunBundle): number[] {
  const steps = new Set<number>();
  for (const g of bundle.groups) for (const r of g.runs) for (const s of r.checkpoints.step) steps.add(s);
  return [...steps].sort((a, b) => a - b);
}

/** How many of a run's rows have a step at or below `lastStep` (steps are increasing within a run). */
export function rowsUpTo(steps: readonly number[], lastStep: number): number {
  let n = 0;
  while (n < steps.length && steps[n] <= lastStep) n++;
  return n;
}

function cutRun(run: Run, rows: number, lastStep: number): Run {
  const checkpoints = Object.create(null) as Checkpoints;
  for (const c of Object.keys(run.checkpoints)) checkpoints[c] = run.checkpoints[c].slice(0, rows);
  const out: Run = { ...run, checkpoints };
  if (run.diverged && run.diverged.step > lastStep) delete out.diverged;
  return out;
}

/** The step of the n-th checkpoint (−∞ for none). */
export function lastStepOf(steps: readonly number[], n: number): number {
  if (!(Number.isInteger(n) && n >= 0 && n <= steps.length))
    throw new Error(`checkpoint ${n} is outside the recording, which has ${steps.length}`);
  return n === 0 ? -Infinity : steps[n - 1];
}

/**
 * The bundle as it stood after `n` checkpoints (0 … steps.length), sharing no arrays with the original. Runs
 * keep their order and identity even while empty, so a growing prefix always has the same runs; an exported
 * analysis the recording carried is left out (it belongs to the whole).
 */
export function prefixBundle(bundle: RunBundle, n: number, steps = checkpointSteps(bundle)): RunBundle {
  const lastStep = lastStepOf(steps, n);
  return {
    format: bundle.format,
    groups: bundle.groups.map((g) => ({
      ...g,
      runs: g.runs.map((r) => cutRun(r, rowsUpTo(r.checkpoints.step, lastStep), lastStep)),
    })),
  };
}
