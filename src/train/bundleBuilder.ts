/** Grows a RunBundle from checkpoints as training goes; the one shape the CLI, store and page share. */
import { column, RUN_BUNDLE_FORMAT, type Checkpoints, type Run, type RunBundle } from '../io/runBundle.ts';
import { CHECKPOINT_COLUMNS } from '../metrics/index.ts';
import type { SeedCheckpoint } from './batchedTrainer.ts';
import type { TrainingConfig } from './task.ts';

export { CHECKPOINT_COLUMNS };

export function runId(seed: number): string {
  return `seed-${seed}`;
}

export function newTrainingBundle(
  config: TrainingConfig,
  seeds: readonly number[],
  extra: Record<string, unknown> = {},
): RunBundle {
  return {
    format: RUN_BUNDLE_FORMAT,
    groups: [
      {
        name: `${config.task}/${config.preset}`,
        config: { ...config, ...extra },
        runs: seeds.map((seed) => ({
          id: runId(seed),
          seed,
          checkpoints: Object.fromEntries(CHECKPOINT_COLUMNS.map((c) => [c, []])) as unknown as Checkpoints,
        })),
      },
    ],
  };
}

/** Appends one checkpoint per seed; a seed found diverged gets its last row and a `diverged` mark. */
export function appendCheckpoints(bundle: RunBundle, entries: readonly SeedCheckpoint[]): void {
  const runs = new Map(bundle.groups[0].runs.map((r) => [r.seed, r]));
  for (const e of entries) {
    const run = runs.get(e.seed);
    if (!run) throw new Error(`no run for seed ${e.seed} in the bundle`);
    if (run.diverged) continue;
    for (const c of CHECKPOINT_COLUMNS) run.checkpoints[c].push(e.row[c]);
    // A task's own columns (TaskModel.checkpointColumns) follow, each begun on the first row that has it.
    const n = run.checkpoints.step.length;
    for (const c of Object.keys(e.row)) {
      if ((CHECKPOINT_COLUMNS as readonly string[]).includes(c)) continue;
      const values = column(run.checkpoints, c) ?? (run.checkpoints[c] = new Array<number>(n - 1).fill(NaN));
      values.push(e.row[c]);
    }
    if (e.diverged) run.diverged = { step: e.row.step, reason: e.diverged };
  }
}

/** Drops checkpoints after `step` (resuming from a state saved there recomputes them identically). */
export function truncateAfter(bundle: RunBundle, step: number): number {
  let dropped = 0;
  for (const run of bundle.groups[0].runs as Run[]) {
    const keep = run.checkpoints.step.findIndex((s) => s > step);
    if (keep < 0) continue;
    for (const c of Object.keys(run.checkpoints)) {
      dropped += c === 'step' ? run.checkpoints[c].length - keep : 0;
      run.checkpoints[c].length = keep;
    }
    if (run.diverged && run.diverged.step > step) delete run.diverged;
  }
  return dropped;
}
