/**
 * The lab's state: what is shown (the recorded sample, a training group), the user's choices of view, and the
 * controls' setting values. One object, so it can round-trip through the URL; components render from it.
 */
import { presetValues, TRAINING_SETTINGS, type SettingValues } from '../settings/index.ts';
import { AnalysisClient } from './analysisClient.ts';
import type { RibbonOrder } from './charts/ribbonChart.ts';
import { LiveAnalysis } from './liveAnalysis.svelte.ts';
import { loadSample } from './sample.ts';

export interface Source {
  kind: 'sample' | 'training' | 'import';
  title: string;
  note: string;
}

export class Lab {
  readonly client: AnalysisClient;
  source = $state.raw<Source | null>(null);
  analysis = $state.raw<LiveAnalysis | null>(null);
  selectedRun = $state<string | null>(null);
  ribbonOrder = $state<RibbonOrder>('convergence');
  curveColumn = $state('eval_acc');
  metricColumn = $state('l2');
  settings = $state<SettingValues>({ ...presetValues('sparse-parity', 'quick'), seeds: 16, backend: 'auto' });
  /** A sentence about something that went wrong outside the analysis (loading, storage, training). */
  notice = $state('');

  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping: nothing renders from it
  private views = new Map<string, LiveAnalysis>();

  constructor() {
    this.client = new AnalysisClient({
      onReply: (reply) => this.views.get(reply.key)?.receive(reply),
      onCrash: (message) => (this.notice = `The analysis worker stopped (${message}); it was restarted and will try again.`),
    });
  }

  /** Opens on the recorded runs: a real map at once. */
  async openSample(): Promise<void> {
    try {
      const { bundle, report } = await loadSample();
      const view = this.show('sample', new LiveAnalysis(this.client, 'sample', bundle));
      this.source = {
        kind: 'sample',
        title: 'Recorded runs: sparse parity, 40 seeds × 300 epochs',
        note: 'Trained earlier with `trainmap run --task sparse-parity --preset paper`; press Start to train your own.',
      };
      if (report) view.adopt(report);
      view.changed();
    } catch (e) {
      this.notice = `The sample runs could not be loaded: ${(e as Error).message}`;
    }
  }

  show(key: string, view: LiveAnalysis): LiveAnalysis {
    this.views.set(key, view);
    this.analysis = view;
    this.selectedRun = null;
    return view;
  }

  /** Chooses a task and preset: the controls take the preset's values. */
  choosePreset(task: string, preset: string): void {
    const keep = { seeds: this.settings.seeds, 'seed-start': this.settings['seed-start'], backend: this.settings.backend };
    this.settings = { ...presetValues(task, preset), ...keep };
  }

  selectRun(key: string | null): void {
    this.selectedRun = this.selectedRun === key ? null : key;
  }
}

/** Settings the lab shows as controls. */
export const LAB_SETTINGS = TRAINING_SETTINGS.filter((s) => s.surface === 'both');
