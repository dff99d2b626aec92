/**
 * The speeds measured per requested backend in this browser (kept in localStorage by setupEstimate.ts), and the
 * estimate they give for the controls' setup before Start (issue #16 §4).
 */
import type { SpeedSample } from '../classroom/setupDuration.ts';
import type { SettingValues } from '../settings/index.ts';
import type { GroupMirror } from './groupMirror.svelte.ts';
import { estimateOf, loadSpeeds, saveSpeeds, speedSampleOf } from './setupEstimate.ts';

export class SpeedLog {
  speeds = $state.raw<Record<string, SpeedSample>>(loadSpeeds(globalThis.localStorage));

  /** A group training here reported progress: its speed is the measurement for the backend it asked for. */
  note(g: GroupMirror): void {
    if (g.owner !== 'this-tab' || !g.progress) return;
    let sample;
    try {
      sample = speedSampleOf(g.record.settings, g.progress, g.checkpoints);
    } catch {
      return; // settings this lab no longer reads (an old stored group): no measurement, the estimate says so
    }
    if (!sample) return;
    this.speeds = { ...this.speeds, [String(g.record.settings.backend ?? 'auto')]: sample };
    saveSpeeds(globalThis.localStorage, this.speeds);
  }

  /** How long `training` would take here, with the faster routes when that is long (`replay`: a sample's title). */
  estimate(training: SettingValues, replay: string | null): ReturnType<typeof estimateOf> {
    return estimateOf(training, this.speeds[String(training.backend ?? 'auto')] ?? null, replay);
  }
}
