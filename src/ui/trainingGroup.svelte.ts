/**
 * One training group as the page sees it: its stored record, the bundle growing from the train worker's events,
 * its live analysis, and the train worker that runs it. The worker trains and stores; this object only mirrors.
 */
import { longestRun, type RunBundle } from '../io/runBundle.ts';
import type { SettingValues, TrainingRequest } from '../settings/index.ts';
import {
  getGroup,
  loadGroup,
  putGroup,
  saveAnalysis,
  updateGroup,
  type GroupRecord,
  type LabDb,
} from '../store/labStore.ts';
import { appendCheckpoints, newTrainingBundle, truncateAfter } from '../train/bundleBuilder.ts';
import { randomTrainingId } from '../train/sessionResume.ts';
import type { SessionEvent } from '../train/session.ts';
import { assertNever } from '../workers/fitPool.ts';
import type { AnalysisRequestOptions, TrainReply, TrainRequest, TrainStart } from '../workers/protocol.ts';
import type { AnalysisClient } from './analysisClient.ts';
import { LiveAnalysis } from './liveAnalysis.svelte.ts';

export type GroupPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'done' | 'stopped' | 'failed';

export interface Progress {
  epoch: number;
  epochs: number;
  stepsDone: number;
  totalSteps: number;
  seedStepsPerSecond: number;
  etaSeconds: number;
  meanEvalAcc: number | null;
  aliveSeeds: number;
}

export class TrainingGroup {
  phase = $state<GroupPhase>('idle');
  progress = $state.raw<Progress | null>(null);
  backend = $state.raw<{
    name: string;
    reason: string;
    adapter?: string;
    threads?: number;
    skipped: { name: string; why: string }[];
  } | null>(null);
  /** The last flush to IndexedDB: rows, state size and how long the transaction took. */
  stored = $state.raw<{ checkpoints: number; stateBytes: number; ms: number; at: number } | null>(null);
  message = $state('');
  readonly analysis: LiveAnalysis;
  /** The step the current worker continued from (null: it started from scratch). */
  resumedAt = $state<number | null>(null);
  /** A train worker is attached. */
  attached = $state(false);
  /** Milliseconds of every IndexedDB flush so far (the cost per flush, for the benchmark). */
  readonly flushTimes: number[] = [];
  private worker: Worker | null = null;
  private lastAnalysisSaved = 0;

  private constructor(
    private readonly db: LabDb,
    readonly record: GroupRecord,
    readonly bundle: RunBundle,
    client: AnalysisClient,
    options: AnalysisRequestOptions = {},
  ) {
    this.analysis = new LiveAnalysis(client, record.id, bundle, {
      threshold: record.config.convergenceThreshold,
      ...options,
    });
    this.analysis.onReport = (_r, info) => this.persistAnalysis(info.mode === 'full');
  }

  /** A new group from the controls' values, stored before it trains so a crash in its first second loses nothing. */
  static async create(
    db: LabDb,
    client: AnalysisClient,
    labId: string,
    settings: SettingValues,
    request: TrainingRequest,
    options: AnalysisRequestOptions = {},
  ): Promise<TrainingGroup> {
    const id = `g-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const trainingId = randomTrainingId();
    const bundle = newTrainingBundle(request.config, request.seeds, { trainingId });
    const record: GroupRecord = {
      id,
      labId,
      title: `${request.config.task}/${request.config.preset}, ${request.seeds.length} seeds`,
      createdAt: Date.now(),
      updatedAt: Date.now(),
      status: 'new',
      settings: { ...settings },
      config: request.config,
      seeds: request.seeds,
      backendRequested: request.backend,
      trainingId,
      head: { name: bundle.groups[0].name, config: bundle.groups[0].config },
      checkpoints: 0,
      stepsDone: 0,
      totalSteps: 0,
      stateBytes: 0,
    };
    await putGroup(db, record);
    return new TrainingGroup(db, record, bundle, client, options);
  }

  /** A stored group, as a reload finds it: every checkpoint, the last analysis at once, paused. */
  static restored(
    db: LabDb,
    client: AnalysisClient,
    record: GroupRecord,
    bundle: RunBundle,
    report: LiveAnalysis['report'],
  ): TrainingGroup {
    const g = new TrainingGroup(db, record, bundle, client);
    if (report) g.analysis.adopt(report);
    g.analysis.changed();
    g.phase =
      record.status === 'done'
        ? 'done'
        : record.status === 'stopped'
          ? 'stopped'
          : record.status === 'new'
            ? 'idle'
            : 'paused';
    g.message = record.message ?? '';
    return g;
  }

  get checkpoints(): number {
    return longestRun(this.bundle);
  }

  /** Starts training (or continues a stored group from its saved state); 'step' takes one step and pauses. */
  start(then: 'run' | 'step' = 'run'): void {
    if (this.worker) return;
    this.attached = true;
    this.phase = 'starting';
    this.message = '';
    const worker = new Worker(new URL('../workers/train.worker.ts', import.meta.url), {
      type: 'module',
      name: `train ${this.record.id}`,
    });
    this.worker = worker;
    worker.onmessage = (e: MessageEvent<TrainReply>) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.crashed(e.message || 'the train worker stopped');
    };
    void this.startMessage(then)
      .then((m) => this.worker === worker && this.post(m))
      .catch((e) => this.paused(`cannot start: ${(e as Error).message}`));
  }

  /** What the worker needs: the stored configuration, and the stored run when there is a saved state to continue. */
  private async startMessage(then: 'run' | 'step'): Promise<TrainStart> {
    const { record, bundle, state } = await loadGroup(this.db, this.record.id);
    const base: TrainStart = {
      type: 'start',
      groupId: record.id,
      config: record.config,
      seeds: record.seeds,
      trainingId: record.trainingId,
      backend: record.backendRequested as TrainStart['backend'],
      then,
    };
    if (!state) return base;
    // Continuing: the page's copy of the rows becomes what was stored (rows after the state are recomputed).
    truncateAfter(this.bundle, state.stepsDone);
    this.analysis.changed();
    return { ...base, resume: { bundle, state: state.bytes } };
  }

  pause(): void {
    this.post({ type: 'pause' });
  }

  resume(): void {
    if (!this.worker) return this.start();
    this.post({ type: 'resume' });
  }

  step(): void {
    if (!this.worker) return this.start('step');
    this.post({ type: 'step' });
  }

  stop(): void {
    this.post({ type: 'stop' });
  }

  private post(m: TrainRequest): void {
    this.worker?.postMessage(m);
  }

  private paused(message: string): void {
    this.detach();
    this.phase = 'paused';
    this.message = `Training paused: ${message}`;
    void updateGroup(this.db, this.record.id, { status: 'paused', message: this.message }).catch(() => undefined);
  }

  private crashed(why: string): void {
    this.paused(`${why}. Everything up to the last saved checkpoint is kept; resume to continue.`);
  }

  private receive(m: TrainReply): void {
    switch (m.type) {
      case 'backend':
        this.backend = { ...m.backend, skipped: m.skipped };
        void updateGroup(this.db, this.record.id, { backend: m.backend }).catch(() => undefined);
        return;
      case 'session':
        return this.onEvent(m.event);
      case 'ready':
        this.resumedAt = m.resumed ? m.resumed.stepsDone : null;
        return;
      case 'stored':
        this.stored = { checkpoints: m.checkpoints, stateBytes: m.stateBytes, ms: m.ms, at: Date.now() };
        this.flushTimes.push(m.ms);
        return;
      case 'failed':
        this.paused(m.message);
        return;
      default:
        assertNever(m);
    }
  }

  private onEvent(e: SessionEvent): void {
    switch (e.type) {
      case 'progress':
        this.progress = {
          epoch: e.epoch,
          epochs: this.record.config.epochs,
          stepsDone: e.stepsDone,
          totalSteps: e.totalSteps,
          seedStepsPerSecond: e.stepsPerSecond * e.aliveSeeds,
          etaSeconds: e.etaSeconds,
          meanEvalAcc: e.meanEvalAcc,
          aliveSeeds: e.aliveSeeds,
        };
        return;
      case 'checkpoint':
        // After a crash, rows past the last saved state are recomputed on resume (to the same numbers): drop the copies first.
        if (
          longestRun(this.bundle) > 0 &&
          this.bundle.groups[0].runs.some((r) => (r.checkpoints.step.at(-1) ?? -1) >= e.step)
        )
          truncateAfter(this.bundle, e.step - 1);
        appendCheckpoints(this.bundle, e.rows);
        this.analysis.changed();
        return;
      case 'diverged':
        this.message = `seed ${e.seed} diverged at step ${e.step} (${e.reason}); it stops, the others go on`;
        return;
      case 'status':
        this.phase = e.status;
        return;
      case 'saved':
        return;
      case 'done':
        this.phase = e.reason === 'stopped' ? 'stopped' : 'done';
        if (e.reason === 'all-diverged') this.message = 'every seed diverged; training ended';
        this.detach();
        this.analysis.final();
        return;
      case 'error':
        this.message = `Training stopped: ${e.message}`;
        return;
      default:
        return assertNeverEvent(e);
    }
  }

  /** The newest analysis goes to IndexedDB with the rows, so a reload shows the map at once. */
  private persistAnalysis(now = false): void {
    const report = this.analysis.report;
    if (!report || (!now && Date.now() - this.lastAnalysisSaved < 10_000)) return;
    this.lastAnalysisSaved = Date.now();
    void saveAnalysis(this.db, {
      groupId: this.record.id,
      checkpoints: this.analysis.info?.checkpoints ?? 0,
      at: Date.now(),
      report,
    }).catch(() => undefined);
  }

  private detach(): void {
    this.worker?.terminate();
    this.worker = null;
    this.attached = false;
  }

  dispose(): void {
    this.detach();
  }

  /** The stored record as it stands now. */
  async refresh(): Promise<GroupRecord | undefined> {
    return getGroup(this.db, this.record.id);
  }
}

function assertNeverEvent(x: never): never {
  throw new Error(`unhandled session event ${JSON.stringify(x)}`);
}
