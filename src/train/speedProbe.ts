/**
 * A short speed probe for the estimate before Start (issue #16 §4): trains the chosen setup for a few steps with
 * the TrainingSession (the loop `trainmap run` and the lab's groups use) and a store that keeps nothing, and
 * measures seed-steps per second after one warm-up step (which pays for kernel compilation and the first
 * allocations, not for training). The probe is bounded by steps and by time, whichever comes first; a step already
 * begun finishes, so one very long step can pass the time bound by its own length.
 */
import { TrainingSession } from './session.ts';
import type { SessionBackend, SessionEvent, SessionStore } from './sessionTypes.ts';
import type { TaskModel } from './task.ts';

export interface ProbeOptions {
  model: TaskModel;
  seeds: readonly number[];
  backend: SessionBackend;
  /** Measured steps at most (the warm-up step not counted). */
  maxSteps: number;
  /** Measured milliseconds at most. */
  maxMs: number;
  /** Told after the warm-up and after every measured step. */
  onProgress?: (p: { stepsDone: number; elapsedMs: number }) => void;
  yieldToHost?: () => Promise<void>;
  now?: () => number;
}

/** What the probe measured, in the shape a training group's progress has (speedSampleOf reads it). */
export interface ProbeResult {
  /** Measured steps (after the warm-up). */
  stepsDone: number;
  seedStepsPerSecond: number;
  aliveSeeds: number;
  /** Checkpoints taken during the measured steps. */
  checkpoints: number;
  seconds: number;
  warmUpSeconds: number;
}

/** The probe keeps nothing: its flushes (at the stop) go nowhere. */
const NOWHERE: SessionStore = { flush: () => Promise.resolve() };

export async function probeSpeed(options: ProbeOptions): Promise<ProbeResult> {
  const { maxSteps, maxMs } = options;
  if (!(maxSteps >= 1 && maxMs > 0))
    throw new Error(`a speed probe needs at least one step and some time (got ${maxSteps} steps, ${maxMs} ms)`);
  const now = options.now ?? (() => performance.now());
  let start: { t: number; steps: number; checkpoints: number } | null = null;
  let last: { t: number; steps: number; checkpoints: number; alive: number } | null = null;
  let session: TrainingSession | null = null;
  let failure: string | null = null;
  let warmedUp: () => void = () => undefined;
  const paused = new Promise<void>((resolve) => (warmedUp = resolve));
  const sink = (e: SessionEvent) => {
    if (e.type === 'error') failure = e.message;
    // After the warm-up step the session settles the device and pauses: the clock starts there.
    // A setup whose warm-up step is its whole run ends instead (said below).
    if ((e.type === 'status' && e.status === 'paused') || e.type === 'done' || e.type === 'error') warmedUp();
    if (e.type !== 'progress' || !start) return;
    last = { t: now(), steps: e.stepsDone, checkpoints: e.checkpoints, alive: e.aliveSeeds };
    const measured = e.stepsDone - start.steps;
    options.onProgress?.({ stepsDone: measured, elapsedMs: last.t - start.t });
    if (measured >= maxSteps || last.t - start.t >= maxMs) void session?.stop().catch(() => undefined);
  };
  session = new TrainingSession({
    model: options.model,
    seeds: options.seeds,
    backend: options.backend,
    sink,
    store: NOWHERE,
    saveEveryMs: Infinity,
    progressEveryMs: 0,
    ...(options.yieldToHost ? { yieldToHost: options.yieldToHost } : {}),
    now,
  });
  const t0 = now();
  try {
    await session.step();
    await paused;
    start = { t: now(), steps: session.stepsDone, checkpoints: session.checkpoints };
    options.onProgress?.({ stepsDone: 0, elapsedMs: 0 });
    const done = await session.start();
    if (failure) throw new Error(failure);
    const end = last as { t: number; steps: number; checkpoints: number; alive: number } | null;
    if (!end || end.steps <= start.steps)
      throw new Error(
        done.reason === 'complete'
          ? `the setup ended after ${done.stepsDone} step${done.stepsDone === 1 ? '' : 's'}: too short to measure a speed (nothing left after the warm-up step)`
          : done.reason === 'all-diverged'
            ? 'every seed diverged during the probe, so no speed could be measured'
            : 'the probe stopped before a measured step',
      );
    if (end.alive === 0) throw new Error('every seed diverged during the probe, so no speed could be measured');
    const steps = end.steps - start.steps;
    const seconds = Math.max(end.t - start.t, 1e-6) / 1000;
    return {
      stepsDone: steps,
      seedStepsPerSecond: (steps * end.alive) / seconds,
      aliveSeeds: end.alive,
      checkpoints: end.checkpoints - start.checkpoints,
      seconds,
      warmUpSeconds: (start.t - t0) / 1000,
    };
  } finally {
    if (session.status !== 'done' && session.status !== 'failed') await session.stop().catch(() => undefined);
    await session.whenEnded();
    session.dispose();
  }
}
