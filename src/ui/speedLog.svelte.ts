/**
 * The speeds measured per requested backend in this browser (kept in localStorage by setupEstimate.ts), and the
 * estimate they give for the controls' setup before Start (issue #16 §4).
 */
import type { SpeedSample } from '../classroom/setupDuration.ts';
import { trainingRequest, type SettingValues } from '../settings/index.ts';
import type { GroupMirror } from './groupMirror.svelte.ts';
import { probeInWorker } from './probeClient.ts';
import { estimateOf, loadSpeeds, saveSpeeds, speedSampleOf } from './setupEstimate.ts';

/** The probe's bounds: enough steps for a steady rate on small setups, short enough to wait for. */
export const PROBE_MAX_STEPS = 200;
export const PROBE_MAX_MS = 10_000;

export class SpeedLog {
  speeds = $state.raw<Record<string, SpeedSample>>(loadSpeeds(globalThis.localStorage));
  /** The probe under way, in words (null: none). */
  probing = $state<string | null>(null);
  /** Why the last probe did not measure anything ('' when it did, or none was asked for). */
  probeProblem = $state('');

  /** A group training here reported progress: its speed is the measurement for the backend it asked for. */
  note(g: GroupMirror): void {
    if (g.owner !== 'this-tab' || !g.progress) return;
    let sample;
    try {
      sample = speedSampleOf(g.record.settings, g.progress, g.checkpoints);
    } catch {
      return; // settings this lab no longer reads (an old stored group): no measurement, the estimate says so
    }
    if (sample) this.keep(g.record.settings, sample);
  }

  /**
   * Measures the speed of `training` with a short probe in a worker (nothing stored but the measurement), unless a
   * group of this tab trains: the two would share the cores and the probe would time neither.
   */
  async probe(training: SettingValues, trainingHere: () => boolean): Promise<void> {
    if (this.probing !== null) return;
    this.probeProblem = '';
    if (trainingHere()) {
      this.probeProblem =
        'Not measured: a group of this tab is training, and a probe beside it would share its cores and time neither. Its own progress measures the speed of its backend; stop it (Stop all) to measure another setup.';
      return;
    }
    let request;
    try {
      request = trainingRequest(training);
    } catch (e) {
      this.probeProblem = `Not measured: ${(e as Error).message}`;
      return;
    }
    this.probing = `Measuring: starting the ${request.backend} backend and taking a warm-up step…`;
    try {
      const { result } = await probeInWorker(
        { ...request, maxSteps: PROBE_MAX_STEPS, maxMs: PROBE_MAX_MS },
        (p) =>
          (this.probing = `Measuring on ${p.backend}: ${p.stepsDone} of at most ${PROBE_MAX_STEPS} steps, ${(p.elapsedMs / 1000).toFixed(1)} of at most ${PROBE_MAX_MS / 1000} s…`),
      );
      const sample = speedSampleOf(training, result, result.checkpoints);
      if (!sample) throw new Error('the probe measured no speed (no step, or no live seed)');
      if (trainingHere())
        throw new Error('a group of this tab started training during the probe, so its timing is not kept');
      this.keep(training, sample);
    } catch (e) {
      this.probeProblem = `The speed probe failed: ${(e as Error).message}`;
    } finally {
      this.probing = null;
    }
  }

  private keep(settings: SettingValues, sample: SpeedSample): void {
    this.speeds = { ...this.speeds, [String(settings.backend ?? 'auto')]: sample };
    saveSpeeds(globalThis.localStorage, this.speeds);
  }

  /** How long `training` would take here, with the faster routes when that is long (`replay`: a sample's title). */
  estimate(training: SettingValues, replay: string | null): ReturnType<typeof estimateOf> {
    return estimateOf(training, this.speeds[String(training.backend ?? 'auto')] ?? null, replay);
  }
}
