/**
 * The train worker's side of a group. It takes the group's Web Lock, reads the record, rows and state from
 * IndexedDB itself, trains with the TrainingSession (the loop the CLI drives too) and, while it holds the lock, is
 * the only writer of the group's status, counts and rows: the page never handles the training state. What it
 * reports goes to its page and to every tab; another tab may ask it to hand the group over, and then it stops after
 * the current step, saves everything and lets go of the lock, so the other tab continues from exactly there.
 */
import { longestRun } from '../io/runBundle.ts';
import { groupLock, TRAIN_COMMANDS } from '../store/groupLocks.ts';
import { createGroup, loadGroup, setGroupStatus, storageUse, updateGroup, writeFlush } from '../store/groupStore.ts';
import { openLabDb, type GroupRecord, type LabDb } from '../store/labDb.ts';
import type { BackendName } from '../train/backendNames.ts';
import { newTrainingBundle } from '../train/bundleBuilder.ts';
import { classifyFailure, errorText } from '../train/failures.ts';
import { canChange, changeOf, isLive, nextStatus, type GroupStatus, type StatusChange } from '../train/groupStatus.ts';
import { TrainingSession } from '../train/session.ts';
import type { SessionBackend, SessionEvent, SessionFlush } from '../train/sessionTypes.ts';
import { randomTrainingId } from '../train/sessionResume.ts';
import { decodeState } from '../train/stateCodec.ts';
import { createTaskModel } from '../../tasks/index.ts';
import { bytes } from '../ui/format.ts';
import { assertNever, type TrainCommand, type TrainEvent, type TrainReply, type TrainRequest } from './protocol.ts';

/** How long a take-over waits for the other tab's worker to finish its step and save. */
export const HAND_OVER_WAIT_MS = 120_000;

/** How long a GPU failure waits to learn whether the device was lost. */
const LOST_WAIT_MS = 2000;

/** The lab's flush policy: each checkpoint within a second, and every 10 s between checkpoints. */
const SAVE = { saveEveryMs: 10_000, saveAtCheckpointMs: 1000, progressEveryMs: 250 };

export interface TrainingBackend {
  backend: SessionBackend;
  skipped: { name: string; why: string }[];
  /** Resolves with a sentence if the device the backend runs on is lost (WebGPU). */
  lost?: Promise<string>;
}

export interface OwnerHost {
  /** Where reports go: the page that started this worker, and every tab. */
  report(reply: TrainReply): void;
  /** The backend to train on (chosen in the worker, which knows its environment). */
  backend(requested: BackendName | 'auto'): Promise<TrainingBackend>;
  /** After `failed` could not start (`why`): the next backend that does start here, if any, to offer the page. */
  nextBackend(failed: BackendName | 'auto', why: string): Promise<BackendName | null>;
  /** The group is let go of (ended, failed, handed over, or never taken): the worker may close. */
  finished(): void;
}

type Start = Extract<TrainRequest, { type: 'create' | 'start' }>;

export class GroupOwner {
  private groupId = '';
  private status: GroupStatus = 'new';
  private session: TrainingSession | null = null;
  private db: LabDb | null = null;
  /** A pause or stop asked for before the session existed. */
  private early: 'pause' | 'stop' | null = null;
  private handingOver = false;
  /** Why the session was stopped from outside it (a lost GPU device, an unhandled rejection in this worker). */
  private fault: string | null = null;
  /** Resolves with why, if the backend's GPU device is lost. */
  private lost: Promise<string> | null = null;
  private lastFlushMs = 0;
  private writes: Promise<void> = Promise.resolve();
  private letGo: (() => void) | null = null;
  private ended = false;
  private commands: BroadcastChannel | null = null;

  constructor(private readonly host: OwnerHost) {}

  handle(req: TrainRequest): void {
    switch (req.type) {
      case 'create':
      case 'start':
        if (this.groupId) throw new Error(`this train worker already owns group ${this.groupId}`);
        this.groupId = req.type === 'create' ? req.group.id : req.groupId;
        void this.begin(req);
        return;
      case 'pause':
        if (this.session) this.session.pause();
        else this.early ??= 'pause';
        return;
      case 'resume':
        if (this.session) this.session.resume();
        else if (this.early === 'pause') this.early = null;
        return;
      case 'step':
        this.session?.step().catch(() => undefined);
        return;
      case 'stop':
        if (this.session) this.session.stop().catch(() => undefined);
        else this.early = 'stop';
        return;
      default:
        assertNever(req);
    }
  }

  private report(event: TrainEvent): void {
    this.host.report({ groupId: this.groupId, ...event });
  }

  /** Takes the lock (asking its holder to hand the group over, for a take-over) and trains while holding it. */
  private async begin(req: Start): Promise<void> {
    const name = groupLock(this.groupId);
    const own = async (lock: Lock | null) => {
      if (!lock) return false;
      await this.own(req);
      return true;
    };
    try {
      let owned = await navigator.locks.request(name, { ifAvailable: true }, own);
      let why = 'another tab trains this group';
      if (!owned && req.type === 'start' && req.takeOver) {
        const ask = new BroadcastChannel(TRAIN_COMMANDS);
        ask.postMessage({ type: 'hand-over', groupId: this.groupId } satisfies TrainCommand);
        ask.close();
        why = `the tab that trains this group did not hand it over within ${HAND_OVER_WAIT_MS / 1000} s`;
        owned = await navigator.locks
          .request(name, { signal: AbortSignal.timeout(HAND_OVER_WAIT_MS) }, own)
          .catch((e: Error) => (e?.name === 'TimeoutError' ? false : Promise.reject(e)));
      }
      if (!owned) {
        this.report({ type: 'held', why });
        this.host.finished();
      }
    } catch (e) {
      this.report({ type: 'status', status: 'failed', reason: classifyFailure(e).message });
      this.host.finished();
    }
  }

  /** Holds the group from claim to the end; resolves when it is let go of (the lock goes with it). */
  private async own(req: Start): Promise<void> {
    const released = new Promise<void>((resolve) => (this.letGo = resolve));
    this.commands = new BroadcastChannel(TRAIN_COMMANDS);
    this.commands.onmessage = (e: MessageEvent<TrainCommand>) => {
      if (e.data?.type === 'hand-over' && e.data.groupId === this.groupId) this.handOver();
    };
    try {
      await this.train(req);
    } catch (e) {
      await this.fail(classifyFailure(e).message);
    }
    await released;
  }

  private async train(req: Start): Promise<void> {
    const db = (this.db ??= await openLabDb());
    if (req.type === 'create') await createGroup(db, newRecord(req.group));
    const { record, bundle, state } = await loadGroup(db, this.groupId);
    // Holding the lock, this worker is the only one: a live status stored is a worker's that ended without writing
    // its last one (a full store refuses even the status), so the group is taken as the orphan it is.
    this.status = isLive(record.status) ? nextStatus(record.status, 'orphan') : record.status;
    if (req.type === 'start' && req.backend && req.backend !== record.backendRequested) {
      record.backendRequested = req.backend;
      await updateGroup(db, this.groupId, { backendRequested: req.backend });
    }
    if (!canChange(this.status, 'claim')) {
      // Nothing to train (it is done): say so and let go.
      this.report({ type: 'status', status: this.status, ...(record.reason ? { reason: record.reason } : {}) });
      return this.end();
    }
    await this.change('claim');
    const requested = record.backendRequested as BackendName | 'auto';
    const chosen = await this.host.backend(requested).catch((e: unknown) => this.startFailed(requested, e));
    await updateGroup(db, this.groupId, { backend: chosen.backend });
    this.report({ type: 'backend', backend: chosen.backend, skipped: chosen.skipped });
    this.lost = chosen.lost ?? null;
    void chosen.lost?.then((message) => this.crash(message));
    const session = new TrainingSession({
      model: await createTaskModel(record.config),
      seeds: record.seeds,
      backend: chosen.backend,
      trainingId: record.trainingId,
      resume: state && {
        bundle,
        saved: decodeState(state.bytes, 'the saved training state'),
        bundleName: 'the stored group',
        stateName: 'its saved state',
      },
      ...SAVE,
      sink: (e) => this.onSession(e),
      store: { flush: (f) => this.flush(db, f) },
    });
    if (this.ended) {
      // It failed while the session was being made (crash): nothing was trained, nothing is written.
      session.dispose();
      return;
    }
    this.session = session;
    const r = session.info.resumed;
    this.report({
      type: 'ready',
      resumed: r ? { stepsDone: r.stepsDone, droppedRows: r.droppedRows, keptThrough: r.keptThrough } : null,
    });
    // Failures reach onSession as error events; the promises' rejections are only their echo.
    if (this.handingOver || this.early === 'stop' || this.fault) void session.stop().catch(() => undefined);
    else if (req.then === 'step') void session.step().catch(() => undefined);
    else if (this.early === 'pause') {
      // Paused before it began: save where it stands, so the group is paused like any other.
      session.pause();
      void session.save().catch(() => undefined);
    } else void session.start().catch(() => undefined);
  }

  /** One flush, in one transaction, timed. */
  private async flush(db: LabDb, f: SessionFlush): Promise<void> {
    const t0 = performance.now();
    await writeFlush(db, {
      groupId: this.groupId,
      truncatedAfter: f.truncatedAfter,
      newCheckpoints: f.newCheckpoints,
      state: { stepsDone: f.stepsDone, bytes: f.state },
      checkpoints: longestRun(f.bundle),
    });
    this.lastFlushMs = performance.now() - t0;
  }

  private onSession(e: SessionEvent): void {
    switch (e.type) {
      case 'progress':
      case 'checkpoint':
      case 'diverged':
        this.report(e);
        return;
      case 'saved':
        this.report({ ...e, ms: this.lastFlushMs });
        return;
      case 'status':
        // Handing over, the session stops; the group is only paused, for the tab that takes it.
        if (!this.handingOver) this.change(changeOf(e)!).catch((err) => this.fail(errorText(err)));
        return;
      case 'done': {
        const change: StatusChange = this.handingOver && e.reason === 'stopped' ? 'release' : changeOf(e)!;
        const reason = e.reason === 'all-diverged' ? 'every seed diverged' : (this.fault ?? undefined);
        this.change(change, reason).then(
          () => {
            if (this.handingOver) this.report({ type: 'released' });
            return this.end();
          },
          (err) => this.fail(errorText(err)),
        );
        return;
      }
      case 'error':
        void this.failAfterLoss(e.message);
        return;
      default:
        assertNever(e);
    }
  }

  /**
   * A lost device first shows as whatever GPU call was in flight failing (a mapAsync "unmapped before mapping was
   * resolved"); the device's own lost promise settles a moment later. The root cause is the better reason.
   */
  private async failAfterLoss(message: string): Promise<void> {
    const lost = this.lost
      ? await Promise.race([this.lost, new Promise<null>((r) => setTimeout(() => r(null), LOST_WAIT_MS))])
      : null;
    await this.fail(this.fault ?? lost ?? classifyFailure(new Error(message)).message);
  }

  /** Applies a change: the status is written, then reported (a reload right after the report finds it stored). */
  private async change(change: StatusChange, reason?: string): Promise<void> {
    const next = nextStatus(this.status, change);
    this.status = next;
    const db = this.db!;
    this.writes = this.writes.then(async () => {
      await setGroupStatus(db, this.groupId, next, reason);
      this.report({ type: 'status', status: next, ...(reason ? { reason } : {}) });
    });
    return this.writes;
  }

  private async fail(why: string): Promise<void> {
    if (this.ended) return;
    const reason = await withStorageUse(why);
    try {
      if (canChange(this.status, 'fail')) await this.change('fail', reason);
      else this.report({ type: 'status', status: 'failed', reason });
    } catch {
      // The store is what failed: the page still hears why.
      this.report({ type: 'status', status: 'failed', reason });
    }
    await this.end();
  }

  /** Another tab asked for the group: stop after the current step, save, and let go (see onSession 'done'). */
  private handOver(): void {
    if (this.handingOver || this.ended || this.status === 'stopping') return;
    this.handingOver = true;
    this.session?.stop().catch(() => undefined);
  }

  /**
   * Something outside the session stopped training (the GPU device was lost, a promise in this worker was rejected
   * unhandled): a session stops after its step and saves, then ends stopped with this reason; before there is a
   * session, the group fails with it.
   */
  crash(reason: string): void {
    if (this.ended || this.fault) return;
    this.fault = reason;
    if (this.session) this.session.stop().catch(() => undefined);
    else if (this.groupId) void this.fail(reason);
  }

  /** The backend did not start: the group fails with why, and the page hears of the next backend that does start. */
  private async startFailed(requested: BackendName | 'auto', e: unknown): Promise<never> {
    const why = classifyFailure(e).message;
    const next = await this.host.nextBackend(requested, why).catch(() => null);
    if (next) this.report({ type: 'offer', failed: requested, backend: next });
    throw new Error(why);
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.writes.catch(() => undefined);
    await this.session?.whenEnded();
    this.session?.dispose();
    this.session = null;
    this.commands?.close();
    this.letGo?.();
    this.host.finished();
  }
}

/** A full store: the reason says how much is used of how much (the page's Stored sessions list what to delete). */
async function withStorageUse(reason: string): Promise<string> {
  if (classifyFailure(new Error(reason)).kind !== 'storage-full') return reason;
  const use = await storageUse().catch(() => null);
  return use ? `${reason} (${bytes(use.used)} of ${bytes(use.quota)} used)` : reason;
}

/** The record of a group the page asked for, as the worker first writes it. */
function newRecord(g: Extract<TrainRequest, { type: 'create' }>['group']): GroupRecord {
  const trainingId = randomTrainingId();
  const head = newTrainingBundle(g.config, g.seeds, { trainingId }).groups[0];
  return {
    ...g,
    updatedAt: Date.now(),
    status: 'new',
    trainingId,
    head: { name: head.name, config: head.config },
    checkpoints: 0,
    stepsDone: 0,
    stateBytes: 0,
  };
}
