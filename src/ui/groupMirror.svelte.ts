/**
 * One training group as the page sees it: its stored record and rows, and what the train worker that owns it
 * reports (status, progress, backend, flushes). The worker writes; this mirrors, through one switch over the
 * worker's reports, whether they come from the worker this tab started or, over the channel, from another tab's
 * (then the rows come from the store, which that worker writes, at each of its flushes).
 */
import { longestRun, type RunBundle } from '../io/runBundle.ts';
import type { GroupRecord, RowsRecord } from '../store/labDb.ts';
import type { BackendName } from '../train/backendNames.ts';
import { appendCheckpoints, truncateAfter } from '../train/bundleBuilder.ts';
import { isLive, type GroupStatus } from '../train/groupStatus.ts';
import { assertNever, type TrainReply } from '../workers/protocol.ts';
import { SourceSignal, type CheckpointSource, type SourceChange } from './checkpointSource.ts';
import type { GroupName } from './groupNames.ts';

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

/** Who trains the group: a worker of this tab, one of another tab, or nobody. */
export type Owner = 'this-tab' | 'other-tab' | null;

/** Reads the record and the rows after a step (the store, for a group another tab trains). */
export type ReadRowsAfter = (step: number) => Promise<{ record: GroupRecord | undefined; rows: RowsRecord[] }>;

export class GroupMirror implements CheckpointSource {
  readonly kind = 'group';
  record = $state.raw<GroupRecord>(undefined as unknown as GroupRecord);
  status = $state<GroupStatus>('new');
  /** Why it failed or was interrupted. */
  reason = $state('');
  progress = $state.raw<Progress | null>(null);
  backend = $state.raw<{
    name: string;
    reason: string;
    adapter?: string;
    skipped: { name: string; why: string }[];
  } | null>(null);
  /** The last flush to IndexedDB: rows, state size and how long the transaction took. */
  saved = $state.raw<{ checkpoints: number; stateBytes: number; ms: number } | null>(null);
  /** Something worth saying that is not a status (a seed diverged, another tab has it). */
  note = $state('');
  owner = $state<Owner>(null);
  /** The backend to offer when the group's own failed to start (its worker found that this one starts). */
  offer = $state<BackendName | null>(null);
  /** The step the current worker continued from (null: from scratch, or not started here). */
  resumedAt = $state<number | null>(null);
  /** Checkpoints of the longest run in the rows here. */
  checkpoints = $state(0);
  name = $state.raw<GroupName>({ short: '', full: '' });
  readonly analysisDefaults: CheckpointSource['analysisDefaults'];
  readonly initialReport: CheckpointSource['initialReport'];
  readonly analyzeAtOnce = true;
  private readonly signal = new SourceSignal();
  /** Reads from the store and truncations, one at a time, in the order their reports came. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    record: GroupRecord,
    readonly bundle: RunBundle,
    initialReport: CheckpointSource['initialReport'],
    private readonly readRowsAfter: ReadRowsAfter,
  ) {
    this.record = record;
    this.status = record.status;
    this.reason = record.reason ?? '';
    this.analysisDefaults = { threshold: record.config.convergenceThreshold };
    this.initialReport = initialReport;
    this.checkpoints = longestRun(bundle);
    if (record.backend) this.backend = { ...record.backend, skipped: [] };
  }

  get key(): string {
    return this.record.id;
  }

  get title(): string {
    return `Your runs: ${this.name.full}`;
  }

  get about(): string {
    return `started ${new Date(this.record.createdAt).toLocaleString()}`;
  }

  subscribe(listener: (change: SourceChange) => void): () => void {
    return this.signal.subscribe(listener);
  }

  /** Checkpoints stored (as the last flush said), which may lag behind those trained here. */
  get stored(): number {
    return this.saved?.checkpoints ?? this.record.checkpoints;
  }

  /** A report of the worker that owns the group: `via` the worker this tab started, or another tab's. */
  receive(m: TrainReply, via: 'worker' | 'channel'): void {
    switch (m.type) {
      case 'progress':
        this.progress = {
          epoch: m.epoch,
          epochs: this.record.config.epochs,
          stepsDone: m.stepsDone,
          totalSteps: m.totalSteps,
          seedStepsPerSecond: m.stepsPerSecond * m.aliveSeeds,
          etaSeconds: m.etaSeconds,
          meanEvalAcc: m.meanEvalAcc,
          aliveSeeds: m.aliveSeeds,
        };
        return;
      case 'checkpoint':
        // Another tab's rows come from the store at its flushes: a channel subscribed late would miss some.
        if (via === 'worker')
          this.enqueue(async () => {
            appendCheckpoints(this.bundle, m.rows);
            this.grew('grew');
          });
        return;
      case 'diverged':
        this.note = `seed ${m.seed} diverged at step ${m.step} (${m.reason}); it stops, the others go on`;
        return;
      case 'status':
        this.status = m.status;
        this.reason = m.reason ?? '';
        if (via === 'channel') this.owner = isLive(m.status) ? 'other-tab' : null;
        if (m.status === 'done' || m.status === 'stopped') this.signal.emit('ended');
        return;
      case 'backend':
        this.backend = { ...m.backend, skipped: m.skipped };
        return;
      case 'offer':
        this.offer = m.backend;
        return;
      case 'ready': {
        if (via === 'worker') this.resumedAt = m.resumed ? m.resumed.stepsDone : null;
        // The worker recomputes the rows after keptThrough: the copies here go, and those up to it come from the
        // store (some may have been stored by a worker this page did not hear, such as another tab's last one).
        const kept = m.resumed?.keptThrough;
        if (kept !== undefined)
          this.enqueue(async () => {
            this.truncate(kept);
            await this.catchUp(kept);
          });
        return;
      }
      case 'saved':
        this.saved = { checkpoints: m.checkpoints, stateBytes: m.stateBytes, ms: m.ms };
        if (via === 'channel') this.enqueue(() => this.catchUp());
        return;
      case 'held':
        this.owner = 'other-tab';
        this.note = `Training in another tab: ${m.why}.`;
        return;
      case 'released':
        this.owner = 'other-tab';
        this.note = 'Another tab took this group over; it trains there now.';
        return;
      default:
        assertNever(m);
    }
  }

  /** The stored record as read now (after a crash of its worker, or a take-over). */
  async reread(): Promise<void> {
    await this.enqueue(() => this.catchUp());
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch((e: unknown) => {
      this.note = `Could not read the group's rows: ${(e as Error)?.message ?? e}`;
    });
    return this.queue;
  }

  private truncate(keptThrough: number): void {
    if (truncateAfter(this.bundle, keptThrough) > 0) this.grew('truncated');
  }

  /** Rows the store has beyond those here (up to `through`). */
  private async catchUp(through = Infinity): Promise<void> {
    const last = Math.max(-1, ...this.bundle.groups[0].runs.map((r) => r.checkpoints.step.at(-1) ?? -1));
    const read = await this.readRowsAfter(last);
    const { record } = read;
    const rows = read.rows.filter((r) => r.step <= through);
    if (record) {
      this.record = record;
      if (!this.owner || this.owner === 'other-tab') {
        this.status = record.status;
        this.reason = record.reason ?? '';
      }
    }
    for (const r of rows) appendCheckpoints(this.bundle, r.rows);
    if (rows.length) this.grew('grew');
  }

  private grew(change: SourceChange): void {
    this.checkpoints = longestRun(this.bundle);
    this.signal.emit(change);
  }
}
