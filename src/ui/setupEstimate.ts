/**
 * The estimate beside Start (issue #16 §4): how long the controls' setup would train on this machine, from the
 * speed last measured on the same backend (a group trained in this browser), with the faster routes when it is long
 * (src/classroom/setupDuration.ts does the arithmetic). The measured speeds are kept per backend in localStorage so
 * the next visit has one; without one the page says it has none rather than guess.
 */
import { setupAdvice, type SetupAdvice, type SpeedSample } from '../classroom/setupDuration.ts';
import { presetValues, trainingRequest, type SettingValues } from '../settings/index.ts';
import { getTask } from '../../tasks/index.ts';
import { teachingPreset } from '../../tasks/teachingPreset.ts';

const STORAGE_KEY = 'trainmap.speeds';

/** What a training group reports while it trains, as a speed measurement. */
export function speedSampleOf(
  settings: SettingValues,
  progress: { stepsDone: number; seedStepsPerSecond: number; aliveSeeds: number },
  checkpoints: number,
): SpeedSample | null {
  if (!(progress.stepsDone > 0 && progress.seedStepsPerSecond > 0 && progress.aliveSeeds > 0)) return null;
  const { config } = trainingRequest(settings);
  const workload = getTask(config.task)?.workload?.(config);
  if (!workload) return null;
  return {
    config,
    workload,
    seeds: progress.aliveSeeds,
    stepsDone: progress.stepsDone,
    checkpoints,
    seconds: (progress.stepsDone * progress.aliveSeeds) / progress.seedStepsPerSecond,
  };
}

/** The advice for the controls' setup, or why there is none ('' when the setup itself is refused elsewhere). */
export function estimateOf(
  settings: SettingValues,
  speed: SpeedSample | null,
  replay: string | null,
): { advice: SetupAdvice; teaching: string } | { none: string; probe?: true } {
  let request;
  try {
    request = trainingRequest(settings);
  } catch {
    return { none: '' };
  }
  const { config, seeds } = request;
  const workload = getTask(config.task)?.workload?.(config);
  if (!workload) return { none: `${config.task} does not say how much work a step is, so there is no estimate.` };
  if (!speed)
    return {
      none: `No speed measured on the ${request.backend} backend in this browser yet: the estimate appears once a run has trained a few steps, or measure it now.`,
      probe: true,
    };
  const teaching = teachingPreset(config.task, { name: request.backend });
  const teachingConfig = trainingRequest({ ...presetValues(config.task, teaching), seeds: seeds.length }).config;
  const advice = setupAdvice({ config, workload, seeds: seeds.length }, speed, {
    teaching: { preset: teaching, config: teachingConfig, workload: getTask(config.task)!.workload!(teachingConfig) },
    ...(replay ? { replay } : {}),
  });
  return { advice, teaching };
}

/** The speeds measured per backend in this browser (none when storage is unavailable). */
export function loadSpeeds(storage: Pick<Storage, 'getItem'> | undefined): Record<string, SpeedSample> {
  try {
    const value = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}') as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, SpeedSample>) : {};
  } catch {
    return {};
  }
}

export function saveSpeeds(storage: Pick<Storage, 'setItem'> | undefined, speeds: Record<string, SpeedSample>): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(speeds));
  } catch {
    // A full or refused storage only loses the estimate of the next visit.
  }
}
