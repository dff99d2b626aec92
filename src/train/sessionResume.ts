/** Continuing a saved run: the checks that it is this run, and putting the trainer and bundle back where it was. */
import type { BatchedTrainer } from './batchedTrainer.ts';
import { runId, truncateAfter } from './bundleBuilder.ts';
import type { ResumeFrom, SessionInfo } from './sessionTypes.ts';
import type { TrainingConfig } from './task.ts';

/** Refuses a saved run that is not this run: another run's bundle, another configuration, other seeds. */
export function checkResume(resume: ResumeFrom, config: TrainingConfig, seeds: readonly number[]): void {
  const { bundle, saved, bundleName, stateName } = resume;
  const group = bundle.groups.length === 1 ? bundle.groups[0] : null;
  const bundleId = group?.config.trainingId;
  if (typeof bundleId !== 'string')
    throw new Error(
      `${bundleName}: cannot resume: it has no training id (it was not written by this version's trainmap run), so it cannot be matched to ${stateName}`,
    );
  if (bundleId !== saved.trainingId)
    throw new Error(
      `${bundleName}: cannot resume: it belongs to another run (training id ${bundleId}) than ${stateName} (training id ${saved.trainingId})`,
    );
  const strip = (c: TrainingConfig) => JSON.stringify({ ...c, epochs: 0 });
  if (strip(saved.config) !== strip(config))
    throw new Error(
      `${bundleName}: cannot resume: the configuration differs from the saved one (only the number of epochs may change on resume)`,
    );
  if (saved.seeds.join() !== seeds.join())
    throw new Error(
      `${bundleName}: cannot resume: it trains seeds ${saved.seeds[0]}…${saved.seeds.at(-1)} (${saved.seeds.length}), not ${seeds[0]}…${seeds.at(-1)} (${seeds.length})`,
    );
  if (group!.runs.map((r) => r.id).join() !== seeds.map(runId).join())
    throw new Error(`${bundleName}: cannot resume: its runs are not seeds ${seeds[0]}…${seeds.at(-1)} in order`);
}

export function randomTrainingId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Restores the trainer and trims the bundle to the state's step; what the session needs to know about it. */
export function restoreRun(
  trainer: BatchedTrainer,
  resume: ResumeFrom,
): { resumed: NonNullable<SessionInfo['resumed']>; recoverCheckpoint: boolean; truncatedAfter: number } {
  try {
    trainer.restore(resume.saved.state);
  } catch (e) {
    trainer.dispose();
    throw new Error(`${resume.stateName}: cannot resume: ${(e as Error).message}`, { cause: e });
  }
  const at = trainer.stepsDone;
  const droppedRows = truncateAfter(resume.bundle, at);
  // The rows kept end with what the next checkpoints repeat of the singular-value metrics (sv-every > 1).
  trainer.restoreSingularValueCarry(resume.bundle.groups[0].runs);
  // A state saved at a checkpoint whose row never reached the bundle: the row is computed first, and a
  // store that has it already is told to drop it too.
  const recoverCheckpoint =
    trainer.atCheckpoint() && !resume.bundle.groups[0].runs.some((r) => r.checkpoints.step.includes(at));
  const keptThrough = recoverCheckpoint ? at - 1 : at;
  return {
    resumed: {
      epoch: trainer.epoch,
      batch: trainer.batch,
      stepsDone: at,
      droppedRows,
      keptThrough,
      savedBackend: resume.saved.backend,
    },
    recoverCheckpoint,
    truncatedAfter: keptThrough,
  };
}
