/**
 * The lab session: the groups trained side by side to be compared (the one meaning of "session" on the page). It
 * mirrors each group (groupMirror.svelte.ts), names them by what differs from the first, and drives them: this
 * tab's train workers for the groups it trains, the channel for those another tab trains.
 */
import type { SettingValues, TrainingRequest } from '../settings/index.ts';
import { heldGroups, ORPHANED, settleGroup } from '../store/groupLocks.ts';
import { loadGroup, readRowsAfter } from '../store/groupStore.ts';
import type { GroupRecord, LabDb } from '../store/labDb.ts';
import { newTrainingBundle } from '../train/bundleBuilder.ts';
import type { BackendName } from '../train/backendNames.ts';
import { isResumable } from '../train/groupStatus.ts';
import type { NewGroup, TrainReply } from '../workers/protocol.ts';
import { GroupMirror } from './groupMirror.svelte.ts';
import { groupNames } from './groupNames.ts';
import { TrainWorkers } from './trainWorkers.ts';

/** How often the page looks whether the groups another tab trains still have a worker behind them. */
const OTHER_TABS_CHECK_MS = 5000;

const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A report after which this tab's worker has let go of its group. */
function endsWorker(reply: TrainReply): boolean {
  if (reply.type === 'held' || reply.type === 'released') return true;
  return (
    reply.type === 'status' && (reply.status === 'stopped' || reply.status === 'done' || reply.status === 'failed')
  );
}

export interface SessionHost {
  db(): LabDb | null;
  /** Something went wrong outside any one group's status (a crash, a refusal), in a sentence. */
  notice(text: string): void;
  /** A stored group changed (the stored list may want a refresh). */
  changed(groupId: string): void;
  /** A group was added to the session (what is shown analyzes it). */
  added(group: GroupMirror): void;
}

export class LabSession {
  id = $state(newId('session'));
  groups = $state.raw<GroupMirror[]>([]);
  private readonly workers: TrainWorkers;

  constructor(private readonly host: SessionHost) {
    this.workers = new TrainWorkers({
      onReply: (reply, via) => this.receive(reply, via),
      onCrash: (groupId, message) => void this.crashed(groupId, message),
    });
    // A tab that closes takes its workers with it, and says nothing: look now and then whether they are still there.
    if (typeof window !== 'undefined') setInterval(() => void this.checkOtherTabs(), OTHER_TABS_CHECK_MS);
  }

  /** Whether this tab trains any group (then a full analysis leaves a core to training). */
  get trainingHere(): boolean {
    return this.groups.some((g) => g.owner === 'this-tab');
  }

  group(id: string): GroupMirror | undefined {
    return this.groups.find((g) => g.key === id);
  }

  /** Opens a stored session, every group with its rows, nothing training here (Resume continues a group). */
  async open(sessionId: string, records: readonly GroupRecord[]): Promise<GroupMirror[]> {
    const db = this.db();
    if (this.trainingHere)
      throw new Error('this tab trains groups of the open session: stop them first (Stop all) to open another');
    const held = await heldGroups().catch(() => new Set<string>());
    const mirrors = await Promise.all(records.map((r) => this.mirrorOf(db, r.id)));
    for (const m of mirrors) if (held.has(m.key)) m.owner = 'other-tab';
    this.id = sessionId;
    this.setGroups(mirrors);
    return mirrors;
  }

  /** A new, empty session (the next group starts it). */
  fresh(): void {
    if (this.trainingHere) throw new Error('this tab trains groups of the open session: stop them first (Stop all)');
    this.id = newId('session');
    this.setGroups([]);
  }

  /** A new group of this session from the controls' values, created and trained by a worker of this tab. */
  create(settings: SettingValues, request: TrainingRequest): GroupMirror {
    const db = this.db();
    const group: NewGroup = {
      id: newId('g'),
      sessionId: this.id,
      createdAt: Date.now(),
      settings: { ...settings },
      config: request.config,
      seeds: request.seeds,
      backendRequested: request.backend,
    };
    const bundle = newTrainingBundle(request.config, request.seeds);
    // What the worker will store; the mirror shows it until the worker reports.
    const record: GroupRecord = {
      ...group,
      updatedAt: group.createdAt,
      status: 'new',
      trainingId: '',
      head: { name: bundle.groups[0].name, config: bundle.groups[0].config },
      checkpoints: 0,
      stepsDone: 0,
      stateBytes: 0,
    };
    const mirror = new GroupMirror(record, bundle, null, (after) => readRowsAfter(db, group.id, after));
    mirror.owner = 'this-tab';
    this.setGroups([...this.groups, mirror]);
    this.workers.launch(group.id, { type: 'create', group, then: 'run' });
    return mirror;
  }

  /** Continues a group from its saved state in a worker of this tab; `takeOver` asks another tab to hand it over. */
  resume(g: GroupMirror, then: 'run' | 'step' = 'run', takeOver = false, backend?: BackendName): void {
    if (g.owner === 'this-tab') {
      this.workers.post(g.key, then === 'step' ? { type: 'step' } : { type: 'resume' });
      return;
    }
    if (g.owner === 'other-tab' && !takeOver)
      return this.host.notice('That group trains in another tab: take it over first.');
    if (!takeOver && !isResumable(g.status)) return;
    g.owner = 'this-tab';
    g.note = takeOver ? 'Asking the other tab to hand the group over after its current step…' : '';
    g.offer = null;
    this.workers.launch(g.key, { type: 'start', groupId: g.key, then, takeOver, ...(backend ? { backend } : {}) });
  }

  /** Starts a group whose backend failed to start on the one offered instead (the worker found it starts). */
  startOn(g: GroupMirror, backend: BackendName): void {
    this.resume(g, 'run', false, backend);
  }

  pause(g: GroupMirror): void {
    this.workers.post(g.key, { type: 'pause' });
  }

  step(g: GroupMirror): void {
    this.resume(g, 'step');
  }

  stop(g: GroupMirror): void {
    this.workers.post(g.key, { type: 'stop' });
  }

  /** Stops every group this tab trains (each saves everything after its current step). */
  stopAll(): void {
    for (const g of this.groups) if (g.owner === 'this-tab') this.stop(g);
  }

  takeOver(g: GroupMirror): void {
    this.resume(g, 'run', true);
  }

  /** Forgets a group (deleted from the store). */
  remove(id: string): void {
    this.workers.end(id);
    this.setGroups(this.groups.filter((g) => g.key !== id));
  }

  private receive(reply: TrainReply, via: 'worker' | 'channel'): void {
    const g = this.group(reply.groupId);
    if (g) {
      g.receive(reply, via);
      if (via === 'worker' && endsWorker(reply)) {
        this.workers.end(reply.groupId);
        if (g.owner === 'this-tab') g.owner = null;
      }
    }
    if (reply.type === 'status' || reply.type === 'saved') this.host.changed(reply.groupId);
  }

  /** Groups another tab trained whose worker is gone (that tab closed) are settled, as on opening. */
  private async checkOtherTabs(): Promise<void> {
    const others = this.groups.filter((g) => g.owner === 'other-tab');
    const db = this.host.db();
    if (others.length === 0 || !db) return;
    const held = await heldGroups();
    for (const g of others) {
      if (held.has(g.key) || g.owner !== 'other-tab') continue;
      const settled = await settleGroup(db, g.key, ORPHANED);
      if (settled === 'held') continue;
      g.owner = null;
      g.note = '';
      if (settled === 'deleted') this.remove(g.key);
      else await g.reread();
      this.host.changed(g.key);
    }
  }

  /** A worker of this tab died: its group is settled as any group with no worker behind it, then re-read. */
  private async crashed(groupId: string, message: string): Promise<void> {
    const g = this.group(groupId);
    if (g) g.owner = null;
    const db = this.host.db();
    if (!db || !g) return;
    const backend = g.backend?.name ?? g.record.backendRequested;
    const why = `the train worker (backend ${backend}) stopped (${message}); everything up to the last saved checkpoint is kept — resume to continue`;
    this.host.notice(`Training of ${g.name.full} stopped: ${why}.`);
    const settled = await settleGroup(db, groupId, why, 10_000).catch(() => 'held' as const);
    if (settled === 'deleted') return this.remove(groupId);
    await g.reread();
    this.host.changed(groupId);
  }

  private db(): LabDb {
    const db = this.host.db();
    if (!db) throw new Error('this browser gives the lab no storage (IndexedDB), so training could not be kept');
    return db;
  }

  private async mirrorOf(db: LabDb, id: string): Promise<GroupMirror> {
    const { record, bundle, analysis } = await loadGroup(db, id);
    return new GroupMirror(record, bundle, analysis?.report ?? null, (after) => readRowsAfter(db, id, after));
  }

  private setGroups(groups: GroupMirror[]): void {
    const names = groupNames(groups.map((g) => g.record.settings));
    groups.forEach((g, i) => (g.name = names[i]));
    const added = groups.filter((g) => !this.groups.includes(g));
    this.groups = groups;
    for (const g of added) this.host.added(g);
  }
}
