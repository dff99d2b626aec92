/**
 * The lab's state: what is shown (the recorded sample, a training group), the user's choices of view, the
 * controls' setting values and the stored sessions. Components render from it; workers compute.
 */
import { presetValues, SettingError, TRAINING_SETTINGS, trainingRequest, type SettingValues } from '../settings/index.ts';
import { deleteGroup, listGroups, loadGroup, openLabDb, storageUse, type GroupRecord, type LabDb } from '../store/labStore.ts';
import { getTask, taskNames } from '../../tasks/index.ts';
import { classifyFailure } from '../train/failures.ts';
import { AnalysisClient } from './analysisClient.ts';
import type { RibbonOrder } from './charts/ribbonChart.ts';
import { LiveAnalysis } from './liveAnalysis.svelte.ts';
import { loadSample } from './sample.ts';
import { TrainingGroup } from './trainingGroup.svelte.ts';

export interface Source {
  kind: 'sample' | 'training' | 'import';
  title: string;
  note: string;
}

export class Lab {
  readonly client: AnalysisClient;
  source = $state.raw<Source | null>(null);
  analysis = $state.raw<LiveAnalysis | null>(null);
  /** The training group on show, when one is. */
  group = $state.raw<TrainingGroup | null>(null);
  selectedRun = $state<string | null>(null);
  ribbonOrder = $state<RibbonOrder>('convergence');
  curveColumn = $state('eval_acc');
  metricColumn = $state('l2');
  settings = $state<SettingValues>(initialSettings());
  /** A sentence about something that went wrong outside the analysis (loading, storage, training). */
  notice = $state('');
  stored = $state.raw<GroupRecord[]>([]);
  storage = $state.raw<{ used: number; quota: number } | null>(null);

  private db: LabDb | null = null;
  private readonly labId = `lab-${Date.now().toString(36)}`;
  private sample: LiveAnalysis | null = null;
  private views = new Map<string, LiveAnalysis>();
  private groups = new Map<string, TrainingGroup>();

  constructor() {
    this.client = new AnalysisClient({
      onReply: (reply) => this.views.get(reply.key)?.receive(reply),
      onCrash: (message) => (this.notice = `The analysis worker stopped (${message}); it was restarted and will try again.`),
    });
  }

  /** Opens the lab: an unfinished stored session if there is one (a reload or crash lands here), else the recorded runs. */
  async open(): Promise<void> {
    try {
      this.db = await openLabDb();
      await this.refreshStored();
      const unfinished = this.stored.find((g) => g.status === 'training' || g.status === 'paused');
      if (unfinished) return await this.openGroup(unfinished.id);
    } catch (e) {
      this.notice = `Stored sessions are unavailable (${(e as Error).message}); training will not be saved.`;
    }
    await this.openSample();
  }

  /** The recorded runs: a real map at once. */
  async openSample(): Promise<void> {
    try {
      if (!this.sample) {
        const { bundle, report } = await loadSample();
        this.sample = new LiveAnalysis(this.client, 'sample', bundle);
        this.views.set('sample', this.sample);
        if (report) this.sample.adopt(report);
        this.sample.changed();
      }
      this.show(this.sample, null, {
        kind: 'sample',
        title: 'Recorded runs: sparse parity, 40 seeds × 300 epochs',
        note: 'Trained earlier with `trainmap run --task sparse-parity --preset paper`; press Start to train your own.',
      });
    } catch (e) {
      this.notice = `The sample runs could not be loaded: ${(e as Error).message}`;
    }
  }

  private show(view: LiveAnalysis, group: TrainingGroup | null, source: Source): void {
    this.analysis = view;
    this.group = group;
    this.source = source;
    this.selectedRun = null;
  }

  private showGroup(g: TrainingGroup): void {
    this.views.set(g.record.id, g.analysis);
    this.groups.set(g.record.id, g);
    const c = g.record.config;
    this.show(g.analysis, g, {
      kind: 'training',
      title: `Your runs: ${c.task}/${c.preset}, ${g.record.seeds.length} seeds`,
      note: `started ${new Date(g.record.createdAt).toLocaleString()}`,
    });
  }

  /** Starts a new group from the controls. */
  async start(): Promise<void> {
    this.notice = '';
    let request;
    try {
      request = trainingRequest(this.settings);
    } catch (e) {
      this.notice = e instanceof SettingError ? `Cannot start: ${e.message}` : String(e);
      return;
    }
    if (!this.db) {
      this.notice = 'Cannot start: this browser gives the lab no storage (IndexedDB), so training could not be kept.';
      return;
    }
    // Ask once that the browser keep the lab's data under storage pressure (only the page may ask).
    void navigator.storage?.persist?.().catch(() => false);
    let g: TrainingGroup;
    try {
      g = await TrainingGroup.create(this.db, this.client, this.labId, this.settings, request);
    } catch (e) {
      const { message } = classifyFailure(e);
      this.notice = `Cannot start: ${message}`;
      return;
    }
    this.showGroup(g);
    g.start();
    await this.refreshStored();
  }

  /** Shows a stored group (all its checkpoints, its last analysis), paused until resumed. */
  async openGroup(id: string): Promise<void> {
    if (!this.db) return;
    const live = this.groups.get(id);
    if (live) return this.showGroup(live);
    const { record, bundle, analysis } = await loadGroup(this.db, id);
    this.showGroup(TrainingGroup.restored(this.db, this.client, record, bundle, analysis?.report ?? null));
  }

  async deleteStored(id: string): Promise<void> {
    if (!this.db) return;
    const live = this.groups.get(id);
    if (live && (live.phase === 'running' || live.phase === 'starting')) {
      this.notice = 'Stop that session before deleting it.';
      return;
    }
    live?.dispose();
    this.groups.delete(id);
    this.views.delete(id);
    await deleteGroup(this.db, id);
    if (this.group?.record.id === id) await this.openSample();
    await this.refreshStored();
  }

  async refreshStored(): Promise<void> {
    if (!this.db) return;
    this.stored = await listGroups(this.db);
    this.storage = await storageUse().catch(() => null);
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

/** The settings table's defaults with the first task's first teaching preset: what the controls show at first. */
function initialSettings(): SettingValues {
  const task = taskNames()[0];
  const presets = Object.entries(getTask(task)!.presets);
  const preset = (presets.find(([, p]) => p.teaching) ?? presets[0])[0];
  const defaults = Object.fromEntries(TRAINING_SETTINGS.filter((s) => s.default !== undefined).map((s) => [s.name, s.default]));
  return { ...defaults, ...presetValues(task, preset) };
}

/** Settings the lab shows as controls. */
export const LAB_SETTINGS = TRAINING_SETTINGS.filter((s) => s.surface === 'both');
