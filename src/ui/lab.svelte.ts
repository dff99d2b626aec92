/**
 * The lab: its setup (setup.ts: settings, URL, teacher mode), its saved groups (savedGroups.svelte.ts), the
 * session of groups trained side by side (labSession.svelte.ts) and what is shown (shown.svelte.ts), and the
 * flows between them: opening, starting a group, opening a stored one, importing, a joint fit. Components render
 * from these; workers compute.
 */
import { SettingError, trainingRequest, type SettingValues } from '../settings/index.ts';
import { classifyFailure } from '../train/failures.ts';
import { AnalysisClient } from './analysisClient.ts';
import { FixedSource, type CheckpointSource } from './checkpointSource.ts';
import { GroupMirror } from './groupMirror.svelte.ts';
import { importInWorker, importTitle, readImportFiles, type Imported } from './importClient.ts';
import { LabSession } from './labSession.svelte.ts';
import type { ReportInfo } from './liveAnalysis.svelte.ts';
import { SampleShelf } from './sampleShelf.svelte.ts';
import { ReplayControl } from './replayControl.svelte.ts';
import { ReplaySource } from './replaySource.ts';
import type { FasterRoute } from '../classroom/setupDuration.ts';
import { SpeedLog } from './speedLog.svelte.ts';
import { SavedGroups } from './savedGroups.svelte.ts';
import {
  analysisOptionsOf,
  changedSettings,
  linkOf,
  openingOf,
  setupFromLink,
  studentLinkOf,
  withAnalysis,
  withPreset,
  withSetting,
  isTeacherLink,
  withSample,
  withTraining,
  type Setup,
} from './setup.ts';
import { Shown } from './shown.svelte.ts';
import { longestRun as longestOf } from '../io/runBundle.ts';
import type { AnalysisReport } from '../analysis/index.ts';

/** A group's newest analysis is stored at most this often (a full selection at once). */
const ANALYSIS_SAVE_MS = 10_000;

export class Lab {
  setup = $state.raw<Setup>(undefined as unknown as Setup);
  /** A sentence about something that went wrong outside the analysis (loading, storage, training). */
  notice = $state('');
  /** The import in progress, in words ('' when none). */
  importing = $state('');
  /** An import some of whose files or runs could not be read, waiting for the user to analyze the rest. */
  pendingImport = $state.raw<{ result: Imported; title: string } | null>(null);
  readonly client: AnalysisClient;
  readonly saved = new SavedGroups();
  readonly session: LabSession;
  readonly shown: Shown;
  /** The bundled recorded sessions (the manifest, once read) and the comparison of them on show. */
  readonly shelf = new SampleShelf();
  /** The replay on show, with its controls (null: none). */
  replay = $state.raw<ReplayControl | null>(null);
  /** The speed last measured per backend, for the estimate before Start. */
  readonly speeds = new SpeedLog();
  private analysisSaved = new Map<string, number>();
  /** Settles once the store is open (or known to be unavailable): a Start pressed earlier waits for it. */
  private opened: Promise<void> | null = null;

  constructor(
    search = '',
    /** The page was reloaded: it reopens what it showed, its controls as its URL says. */
    private readonly reload = false,
  ) {
    this.setup = setupFromLink(search);
    this.client = new AnalysisClient({
      onReply: (reply) => this.shown.receive(reply),
      onCrash: (message) =>
        (this.notice = `The analysis worker stopped (${message}); it was restarted and will try again.`),
      training: () => this.session.trainingHere,
    });
    this.shown = new Shown(this.client, analysisOptionsOf(this.setup), (s, r, i) => this.reported(s, r, i));
    this.session = new LabSession({
      db: () => this.saved.db,
      notice: (text) => (this.notice = text),
      changed: () => void this.saved.refresh(),
      added: (g) => void this.shown.follow(g),
    });
  }

  /** The training group on show, when one is. */
  get focused(): GroupMirror | null {
    const s = this.shown.source;
    return s instanceof GroupMirror ? s : null;
  }

  /** Opens the lab: the session open last (a reload, a plain visit, or its group's own link), else the sample. */
  open(): Promise<void> {
    this.opened ??= this.opening();
    return this.opened;
  }

  private async opening(): Promise<void> {
    try {
      await this.saved.open();
      const last = await this.saved.lastOpen();
      const shownRecord = last?.groups.find((g) => g.id === last.view.groupId) ?? null;
      const opening = openingOf({
        setup: this.setup,
        reload: this.reload,
        hasSession: last !== null,
        lastShown: shownRecord?.settings ?? null,
      });
      if (last && opening === 'session') {
        await this.session.open(last.view.sessionId!, last.groups);
        const g = shownRecord && this.session.group(shownRecord.id);
        if (g) return this.showGroup(g, this.reload && this.setup.fromLink);
      }
    } catch (e) {
      this.notice = `Stored sessions are unavailable (${(e as Error).message}); training will not be saved.`;
    }
    // A link to a replay (or a teacher's link to a recorded session) plays it at once.
    const play = this.setup.replay || (isTeacherLink(this.setup) && this.setup.sample !== null);
    await this.openSample(this.setup.sample);
    if (play) this.replayShown(true);
  }

  /** The query string of the lab as it stands (written to the address bar). */
  link(): string {
    return linkOf(this.setup);
  }

  studentLink(hide: readonly string[], lock: boolean, base: string): string {
    return studentLinkOf(this.setup, { hide, lock }, base);
  }

  isHidden(panel: string): boolean {
    return this.setup.hide.includes(panel);
  }

  setSetting(name: string, value: SettingValues[string]): void {
    this.setup = withSetting(this.setup, name, value);
  }

  /** An analysis setting changed in the page: the link says it, and every followed source is analyzed again. */
  setAnalysis(name: string, value: SettingValues[string] | undefined): void {
    this.setup = withAnalysis(this.setup, name, value);
    this.shown.reconfigure(analysisOptionsOf(this.setup));
  }

  choosePreset(task: string, preset: string): void {
    this.setup = withPreset(this.setup, task, preset);
  }

  /** Setting names whose values differ between the controls and the group on show (what a new group would change). */
  changedFromFocused(): string[] {
    const g = this.focused;
    return g ? changedSettings(this.setup.training, g.record.settings) : [];
  }

  /**
   * A bundled recorded session (the manifest's first when none is named), or a comparison of them with one of its
   * sessions (`member`, else its first) in the other panels: shipped analyses at once, runs ready to replay. Each
   * file is read when first shown.
   */
  async openSample(id: string | null = this.setup.sample, member?: string): Promise<void> {
    try {
      const opened = await this.shelf.open(id, analysisOptionsOf(this.setup), member);
      if (opened.notice) this.notice = opened.notice;
      this.show(opened.source);
      this.setup = withSample(this.setup, opened.id, false, this.setup.speed);
    } catch (e) {
      this.notice = `The sample runs could not be loaded: ${(e as Error).message}`;
    }
  }

  /** Whether what is on show can be replayed: recorded runs (a sample, an import, a joint fit, a stored group). */
  canReplay(): boolean {
    const s = this.shown.source;
    return s !== null && s.kind !== 'replay' && longestOf(s.bundle) >= 2;
  }

  /**
   * Replays what is on show through the live path, with the options of the analysis on show (the shipped one for a
   * sample), so the last map of the replay is that analysis. `play`: start at once (a link or teacher mode).
   */
  replayShown(play = false): void {
    const from = this.shown.source;
    if (!from || from.kind === 'replay') return;
    const report = this.shown.analysis?.report ?? from.initialReport;
    try {
      // A training group keeps growing: the replay takes its runs as they stand.
      const source = new ReplaySource(
        `replay-${from.key}-${Date.now().toString(36)}`,
        structuredClone($state.snapshot(from.bundle)),
        from.title.replace(/^Recorded runs: /, ''),
        report,
        this.setup.speed ?? undefined,
      );
      this.closeReplay();
      const live = this.shown.follow(source);
      this.replay = new ReplayControl(source, live);
      this.show(source);
      if (from.kind === 'sample') this.setup = withSample(this.setup, this.setup.sample, true, this.setup.speed);
      if (play) this.replay.play();
    } catch (e) {
      this.notice = `Cannot replay that: ${(e as Error).message}`;
    }
  }

  setReplaySpeed(speed: number): void {
    this.replay?.setSpeed(speed);
    this.setup = { ...this.setup, speed };
  }

  private closeReplay(): void {
    if (!this.replay) return;
    this.replay.dispose();
    this.shown.forget(this.replay.source.key);
    this.replay = null;
  }

  /** Takes a faster route the estimate offered. */
  takeRoute(route: FasterRoute): void {
    if (route.kind === 'fewer-seeds' && route.seeds) this.setSetting('seeds', route.seeds);
    else if (route.kind === 'teaching-preset' && route.preset)
      this.choosePreset(String(this.setup.training.task), route.preset);
    else if (route.kind === 'replay') void this.openSample(null).then(() => this.replayShown(true));
  }

  /** Shows a group of the session; the controls take its settings unless told to keep theirs. */
  showGroup(g: GroupMirror, keepControls = false): void {
    if (!keepControls) this.setup = withTraining(this.setup, g.record.settings);
    this.show(g);
  }

  private show(source: CheckpointSource): void {
    if (this.replay && source !== this.replay.source) this.closeReplay();
    if (source.kind !== 'sample' && source.kind !== 'replay') {
      this.setup = withSample(this.setup, null, false, null);
      this.shelf.comparison = null;
    }
    this.shown.show(source);
    const group = source instanceof GroupMirror ? source.key : null;
    this.saved.remember(this.session.groups.length ? this.session.id : null, group);
  }

  /**
   * Starts a new group of the session from the controls. While another group trains, this is "start as a new
   * group": the new configuration trains beside the old one, both stored, each with its own map.
   */
  async start(): Promise<void> {
    await this.open();
    this.notice = '';
    let request;
    try {
      request = trainingRequest(this.setup.training);
    } catch (e) {
      this.notice = e instanceof SettingError ? `Cannot start: ${e.message}` : String(e);
      return;
    }
    if (!this.saved.db) {
      this.notice = 'Cannot start: this browser gives the lab no storage (IndexedDB), so training could not be kept.';
      return;
    }
    // Ask once that the browser keep the lab's data under storage pressure (only the page may ask).
    void navigator.storage?.persist?.().catch(() => false);
    try {
      this.showGroup(this.session.create(this.setup.training, request), true);
    } catch (e) {
      this.notice = `Cannot start: ${classifyFailure(e).message}`;
    }
  }

  /** Shows a stored group: in the open session, or with its own session (every group, paused until resumed). */
  async openStored(id: string): Promise<void> {
    this.notice = '';
    const here = this.session.group(id);
    if (here) return this.showGroup(here);
    try {
      const records = await this.saved.sessionOf(id);
      if (records.length === 0) throw new Error('it is gone (deleted in another tab?)');
      const before = this.session.groups;
      await this.session.open(records[0].sessionId, records);
      for (const g of before) this.shown.forget(g.key);
      const g = this.session.group(id);
      if (g) this.showGroup(g);
    } catch (e) {
      this.notice = `Cannot open that session: ${(e as Error).message}`;
    }
  }

  /** An empty session: the next Start begins it. */
  newSession(): void {
    try {
      const before = this.session.groups;
      this.session.fresh();
      for (const g of before) this.shown.forget(g.key);
      void this.openSample(null);
    } catch (e) {
      this.notice = (e as Error).message;
    }
  }

  /** A joint fit of the session's groups: which states they share. Shown like any other analysis. */
  poolGroups(): void {
    const groups = this.session.groups.filter((g) => g.checkpoints >= 3);
    if (groups.length < 2) {
      this.notice = 'A joint fit needs two groups with at least three checkpoints each.';
      return;
    }
    const bundle = {
      format: groups[0].bundle.format,
      groups: groups.map((g) => ({ ...structuredClone(g.bundle.groups[0]), name: g.name.full })),
    };
    this.show(
      new FixedSource(
        `pooled-${Date.now().toString(36)}`,
        'pooled',
        bundle,
        `Joint fit of ${groups.length} groups: ${groups.map((g) => g.name.short).join(' + ')}`,
        'One HMM over every run of every group: shared states mean the configurations pass through the same phases.',
      ),
    );
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
    this.show(
      new FixedSource(
        `import-${Date.now().toString(36)}`,
        'import',
        result.bundle,
        title,
        result.analysis ? 'the exported analysis, as it was' : 'analyzed here, in the analysis worker',
        result.analysis,
        !result.analysis,
        [...result.notes, ...(result.analysisProblem ? [result.analysisProblem] : [])],
      ),
    );
  }

  async deleteStored(id: string): Promise<void> {
    const why = await this.saved.remove(id);
    if (why) {
      this.notice = `Cannot delete that group: ${why}.`;
      return;
    }
    this.session.remove(id);
    this.shown.forget(id);
    if (this.shown.source?.key === id) await this.openSample(null);
  }

  /** Every report put on show: a replay logs it (scrubbing back shows it again); a group's is stored. */
  private reported(source: CheckpointSource, report: AnalysisReport, info: ReportInfo): void {
    if (source instanceof ReplaySource) {
      source.shown(report, info.mode, info.checkpoints);
      if (this.replay?.source === source) this.replay.reported();
    }
    this.keepAnalysis(source, report, info);
  }

  /** The newest analysis of a group goes to IndexedDB with its rows (a full selection at once, refits now and then). */
  private keepAnalysis(source: CheckpointSource, report: AnalysisReport, info: ReportInfo): void {
    if (source.kind !== 'group') return;
    const last = this.analysisSaved.get(source.key) ?? 0;
    if (info.mode !== 'full' && Date.now() - last < ANALYSIS_SAVE_MS) return;
    this.analysisSaved.set(source.key, Date.now());
    this.saved.saveAnalysis(source.key, report, info.checkpoints);
  }
}
