/**
 * The lab's state: what is shown (the recorded sample, a training group), the user's choices of view, the
 * controls' setting values and the stored sessions. Components render from it; workers compute.
 */
import {
  analyzeOptions,
  presetValues,
  SettingError,
  TRAINING_SETTINGS,
  trainingRequest,
  type SettingValues,
} from '../settings/index.ts';
import type { AnalysisRequestOptions } from '../workers/protocol.ts';
import { decodeLabUrl, encodeLabUrl, studentLink } from './urlState.ts';
import {
  deleteGroup,
  listGroups,
  loadGroup,
  openLabDb,
  storageUse,
  type GroupRecord,
  type LabDb,
} from '../store/labStore.ts';
import { getTask, taskNames } from '../../tasks/index.ts';
import { classifyFailure } from '../train/failures.ts';
import { AnalysisClient } from './analysisClient.ts';
import type { RibbonOrder } from './charts/ribbonChart.ts';
import { LiveAnalysis } from './liveAnalysis.svelte.ts';
import { importInWorker, importTitle, readImportFiles, type Imported } from './importClient.ts';
import { loadSample } from './sample.ts';
import { TrainingGroup } from './trainingGroup.svelte.ts';

export interface Source {
  kind: 'sample' | 'training' | 'import' | 'pooled';
  title: string;
  note: string;
  /** What the import of this source noted (format, mapping, what was left out): it belongs to this source only. */
  importNotes?: string[];
}

export class Lab {
  readonly client: AnalysisClient;
  source = $state.raw<Source | null>(null);
  analysis = $state.raw<LiveAnalysis | null>(null);
  /** The training group on show, when one is. */
  group = $state.raw<TrainingGroup | null>(null);
  /** The groups of this lab session, in the order they started: trained side by side and compared. */
  session = $state.raw<TrainingGroup[]>([]);
  selectedRun = $state<string | null>(null);
  ribbonOrder = $state<RibbonOrder>('convergence');
  curveColumn = $state('eval_acc');
  metricColumn = $state('l2');
  settings = $state<SettingValues>(initialSettings());
  /** Analysis setting values from the link (the analyses of groups and imports use them). */
  analysisSettings = $state<SettingValues>({});
  /** Teacher mode, from the link: panels and settings hidden from students, and the task and preset locked. */
  hidden = $state.raw<ReadonlySet<string>>(new Set());
  locked = $state(false);
  /** What in the link could not be used, one sentence each. */
  linkProblems = $state.raw<string[]>([]);
  /** A sentence about something that went wrong outside the analysis (loading, storage, training). */
  notice = $state('');
  stored = $state.raw<GroupRecord[]>([]);
  /** The import in progress, in words ('' when none). */
  importing = $state('');
  /** An import some of whose files or runs could not be read, waiting for the user to analyze the rest. */
  pendingImport = $state.raw<{ result: Imported; title: string } | null>(null);
  storage = $state.raw<{ used: number; quota: number } | null>(null);

  /** Opened from a link with a setup: its settings stay in the controls (no other stored session is reopened over them). */
  private fromLink = false;
  private db: LabDb | null = null;
  private labId = `lab-${Date.now().toString(36)}`;
  private sample: LiveAnalysis | null = null;
  private views = new Map<string, LiveAnalysis>();
  private groups = new Map<string, TrainingGroup>();

  constructor(search = '') {
    // A link with a setup: its values, its teacher mode, and sentences for what could not be used.
    if (search.replace(/^\?/, '') !== '') {
      const { state, problems } = decodeLabUrl(search);
      this.settings = state.training;
      this.analysisSettings = state.analysis;
      this.hidden = new Set(state.hide);
      this.locked = state.lock;
      this.linkProblems = problems.map((p) => p.message);
      this.fromLink = true;
    }
    this.client = new AnalysisClient({
      onReply: (reply) => this.views.get(reply.key)?.receive(reply),
      onCrash: (message) =>
        (this.notice = `The analysis worker stopped (${message}); it was restarted and will try again.`),
      training: () => [...this.groups.values()].some((g) => g.attached),
    });
  }

  /** Opens the lab: an unfinished stored session if there is one (a reload or crash lands here), else the recorded runs. */
  async open(): Promise<void> {
    try {
      this.db = await openLabDb();
      await this.refreshStored();
      // A link opens its own setup, unless it is the setup of the unfinished session (the lab's own URL, reloaded).
      const unfinished = this.stored.find(
        (g) => (g.status === 'training' || g.status === 'paused') && (!this.fromLink || this.linkIsSetupOf(g)),
      );
      if (unfinished) {
        // The session it belongs to comes back whole: its other groups too, side by side again.
        this.labId = unfinished.labId;
        for (const g of this.stored.filter((x) => x.labId === unfinished.labId).reverse()) await this.openGroup(g.id);
        return await this.openGroup(unfinished.id);
      }
    } catch (e) {
      this.notice = `Stored sessions are unavailable (${(e as Error).message}); training will not be saved.`;
    }
    await this.openSample();
  }

  private linkIsSetupOf(g: GroupRecord): boolean {
    const setup = (training: SettingValues) => encodeLabUrl({ training, analysis: {}, hide: [], lock: false });
    return setup(g.settings) === setup(this.settings);
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
    if (g.record.labId === this.labId && !this.session.includes(g)) this.session = [...this.session, g];
    // The controls show the configuration of the group on show.
    this.settings = { ...g.record.settings };
    const c = g.record.config;
    this.show(g.analysis, g, {
      kind: 'training',
      title: `Your runs: ${c.task}/${c.preset}, ${g.record.seeds.length} seeds`,
      note: `started ${new Date(g.record.createdAt).toLocaleString()}`,
    });
  }

  /** The query string of the lab as it stands: its settings and teacher mode (written to the address bar). */
  link(): string {
    return encodeLabUrl({
      training: this.settings,
      analysis: this.analysisSettings,
      hide: [...this.hidden],
      lock: this.locked,
    });
  }

  /** The "copy link for students" URL: this setup with the teacher's choice of hidden panels and settings. */
  studentLink(hide: readonly string[], lock: boolean, base: string): string {
    return studentLink({ training: this.settings, analysis: this.analysisSettings }, { hide, lock }, base);
  }

  /** Analysis options from the link's analysis settings (a refused value was reported when the link was read). */
  analysisOptions(): AnalysisRequestOptions {
    try {
      return analyzeOptions(this.analysisSettings);
    } catch {
      return {};
    }
  }

  /**
   * Starts a new group from the controls. While another group trains, this is "start as a new group": the new
   * configuration trains beside the old one, both stored, each with its own map.
   */
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
      g = await TrainingGroup.create(this.db, this.client, this.labId, this.settings, request, this.analysisOptions());
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

  /** Setting names whose values differ between the controls and the group on show (what a new group would change). */
  changedFromGroup(): string[] {
    const g = this.group;
    if (!g) return [];
    return Object.keys(this.settings).filter(
      (k) => k !== 'backend' && String(this.settings[k]) !== String(g.record.settings[k]),
    );
  }

  /** A joint fit of the session's groups: which states they share. Shown like any other analysis. */
  async poolGroups(): Promise<void> {
    const groups = this.session.filter((g) => g.checkpoints >= 3);
    if (groups.length < 2) {
      this.notice = 'A joint fit needs two groups with at least three checkpoints each.';
      return;
    }
    const bundle = {
      format: groups[0].bundle.format,
      groups: groups.map((g) => ({ ...structuredClone(g.bundle.groups[0]), name: g.record.title })),
    };
    const key = `pooled-${Date.now().toString(36)}`;
    const view = new LiveAnalysis(this.client, key, bundle);
    this.views.set(key, view);
    view.changed();
    this.show(view, null, {
      kind: 'pooled',
      title: `Joint fit of ${groups.length} groups: ${groups.map((g) => g.record.title).join(' + ')}`,
      note: 'One HMM over every run of every group: shared states mean the configurations pass through the same phases.',
    });
  }

  /**
   * Imports files (picked or dropped): our bundles, an exported analysis (shown as it was, no refit), the authors'
   * per-run CSVs or TensorBoard exports. Parsed in a worker; a malformed file gets a located message and the lab
   * keeps showing what it showed.
   */
  async importFiles(files: File[]): Promise<void> {
    if (files.length === 0) return;
    this.notice = '';
    this.pendingImport = null;
    const total = files.reduce((n, f) => n + f.size, 0);
    this.importing = `reading ${files.length} file${files.length > 1 ? 's' : ''} (${(total / 2 ** 20).toFixed(1)} MiB)…`;
    try {
      const result = await importInWorker(await readImportFiles(files), (m) => (this.importing = m));
      // Some files or runs could not be read: nothing is shown until the user chooses to analyze the rest.
      if (result.skipped.length) this.pendingImport = { result, title: importTitle(files, result) };
      else this.showImport(result, importTitle(files, result));
    } catch (e) {
      this.notice = `Import failed, nothing changed: ${(e as Error).message}`;
    } finally {
      this.importing = '';
    }
  }

  /** Analyzes the readable part of the pending import (what was left out stays listed in its notes). */
  analyzePendingImport(): void {
    const pending = this.pendingImport;
    this.pendingImport = null;
    if (pending) this.showImport(pending.result, pending.title);
  }

  private showImport(result: Imported, title: string): void {
    const key = `import-${Date.now().toString(36)}`;
    const view = new LiveAnalysis(this.client, key, result.bundle, this.analysisOptions());
    this.views.set(key, view);
    if (result.analysis) view.adopt(result.analysis, 'stored');
    else view.changed();
    this.show(view, null, {
      kind: 'import',
      title,
      note: result.analysis ? 'the exported analysis, as it was' : 'analyzed here, in the analysis worker',
      importNotes: [...result.notes, ...(result.analysisProblem ? [result.analysisProblem] : [])],
    });
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
    this.session = this.session.filter((g) => g.record.id !== id);
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
    const keep = {
      seeds: this.settings.seeds,
      'seed-start': this.settings['seed-start'],
      backend: this.settings.backend,
    };
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
  const defaults = Object.fromEntries(
    TRAINING_SETTINGS.filter((s) => s.default !== undefined).map((s) => [s.name, s.default]),
  );
  return { ...defaults, ...presetValues(task, preset) };
}

/** Settings the lab shows as controls. */
export const LAB_SETTINGS = TRAINING_SETTINGS.filter((s) => s.surface === 'both');
