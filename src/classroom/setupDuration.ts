/**
 * How long a setup will take before Start (issue #16 §4), from a speed measured on this backend: the last run's, or
 * a short probe of the setup itself. Time is taken to follow the work of the forward and backward passes (about
 * three forward passes a training example) and of the checkpoints' evaluation over every example: a speed measured
 * on one configuration carries to another in proportion. For the measured configuration itself the estimate is the
 * measurement; across configurations it is rough (small models pay more per operation than their arithmetic says),
 * which is enough to tell minutes from hours. Plain arithmetic, no tfjs.
 */
import type { TrainingConfig, Workload } from '../train/task.ts';

/** Above this an estimate is long for a class period: the lab says so and offers faster routes. */
export const LONG_SETUP_SECONDS = 600;
/** Model selection holds out a fifth of the runs; with fewer than this it can hardly choose K. */
export const FEWEST_USEFUL_SEEDS = 20;

/** One measurement: what trained, for how long. */
export interface SpeedSample {
  config: TrainingConfig;
  workload: Workload;
  seeds: number;
  stepsDone: number;
  checkpoints: number;
  seconds: number;
}

export function stepsPerEpoch(config: TrainingConfig, workload: Workload): number {
  return Math.ceil(workload.trainExamples / Math.min(config.batchSize, workload.trainExamples));
}

/** Checkpoints a whole run takes: every checkpointEvery-th epoch and the last (method.md §2.1). */
export function checkpointCount(config: TrainingConfig): number {
  const onGrid = Math.floor(config.epochs / config.checkpointEvery);
  return onGrid + (config.epochs % config.checkpointEvery === 0 ? 0 : 1);
}

/** Multiply-adds one seed spends on `steps` optimizer steps and `checkpoints` checkpoints. */
export function seedWork(config: TrainingConfig, workload: Workload, steps: number, checkpoints: number): number {
  const batch = Math.min(config.batchSize, workload.trainExamples);
  const evaluated = workload.trainExamples + workload.evalExamples;
  return workload.macsPerExample * (3 * batch * steps + evaluated * checkpoints);
}

/** Multiply-adds a second the measurement achieved. */
export function throughput(sample: SpeedSample): number {
  if (!(sample.seconds > 0 && sample.stepsDone > 0 && sample.seeds > 0))
    throw new Error(
      `a speed measurement needs time, steps and seeds above zero (got ${sample.seconds} s, ${sample.stepsDone} steps, ${sample.seeds} seeds)`,
    );
  return (
    (sample.seeds * seedWork(sample.config, sample.workload, sample.stepsDone, sample.checkpoints)) / sample.seconds
  );
}

/** Seconds to train `seeds` seeds of `config` from its start (or from `stepsDone`) to its end. */
export function estimateSeconds(
  config: TrainingConfig,
  workload: Workload,
  seeds: number,
  sample: SpeedSample,
  stepsDone = 0,
): number {
  const total = config.epochs * stepsPerEpoch(config, workload);
  const left = Math.max(0, total - stepsDone);
  const checkpointsLeft = Math.round(checkpointCount(config) * (left / total));
  return (seeds * seedWork(config, workload, left, checkpointsLeft)) / throughput(sample);
}

export interface FasterRoute {
  kind: 'fewer-seeds' | 'teaching-preset' | 'replay';
  /** A sentence for the teacher. */
  text: string;
  seconds?: number;
  seeds?: number;
  preset?: string;
}

export interface SetupAdvice {
  seconds: number;
  long: boolean;
  routes: FasterRoute[];
}

/** "1 h 09 min", "12 min", "45 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'an unknown time';
  const s = Math.round(seconds);
  if (s < 90) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * The estimate, and when it is over LONG_SETUP_SECONDS the faster routes: the most seeds that fit in that time, the
 * teaching preset sized for this machine, and a recorded session to replay.
 */
export function setupAdvice(
  setup: { config: TrainingConfig; workload: Workload; seeds: number },
  sample: SpeedSample,
  alternatives: { teaching?: { preset: string; config: TrainingConfig; workload: Workload }; replay?: string } = {},
): SetupAdvice {
  const seconds = estimateSeconds(setup.config, setup.workload, setup.seeds, sample);
  const long = seconds > LONG_SETUP_SECONDS;
  const routes: FasterRoute[] = [];
  if (long) {
    const fitting = Math.floor((setup.seeds * LONG_SETUP_SECONDS) / seconds);
    if (fitting >= 1) {
      const few =
        fitting < FEWEST_USEFUL_SEEDS ? ' (too few for model selection to choose the number of states well)' : '';
      routes.push({
        kind: 'fewer-seeds',
        seeds: fitting,
        seconds: (seconds * fitting) / setup.seeds,
        text: `Train ${fitting} seeds instead of ${setup.seeds}: about ${formatDuration((seconds * fitting) / setup.seeds)}${few}.`,
      });
    }
    const t = alternatives.teaching;
    if (t && t.preset !== setup.config.preset) {
      const teachingSeconds = estimateSeconds(t.config, t.workload, setup.seeds, sample);
      routes.push({
        kind: 'teaching-preset',
        preset: t.preset,
        seconds: teachingSeconds,
        text: `Use the teaching preset for this machine (${t.preset}) with ${setup.seeds} seeds: about ${formatDuration(teachingSeconds)}.`,
      });
    }
    if (alternatives.replay)
      routes.push({
        kind: 'replay',
        text: `Replay the recorded session (${alternatives.replay}): no training at all.`,
      });
  }
  return { seconds, long, routes };
}
