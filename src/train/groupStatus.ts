/**
 * A training group's status, from creation to done: one vocabulary for the train worker that owns the group, the
 * store that keeps it, the page that mirrors it and the list of stored sessions, with the only moves between
 * the words. The worker applies a change when something happens to its session (it ran, paused, ended, failed, or
 * another tab took the group over); the page, opening the store, settles a record that no worker stands behind
 * (`settleOrphan`). Pure: no store, no worker, no page.
 */
import type { SessionEvent } from './sessionTypes.ts';

export const GROUP_STATUSES = [
  'new',
  'starting',
  'running',
  'paused',
  'stopping',
  'interrupted',
  'stopped',
  'done',
  'failed',
] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/**
 * What can happen to a group. claim: a train worker took it (it holds the group's lock); run, pause, stopping,
 * stop, finish, fail: its session did so; release: it handed the group to a worker in another tab (everything
 * saved); orphan: it was found with no worker behind it (a closed tab, a crashed worker).
 */
export const STATUS_CHANGES = [
  'claim',
  'run',
  'pause',
  'stopping',
  'stop',
  'finish',
  'fail',
  'release',
  'orphan',
] as const;
export type StatusChange = (typeof STATUS_CHANGES)[number];

const MOVES: Record<GroupStatus, Partial<Record<StatusChange, GroupStatus>>> = {
  // A new group has no checkpoint, so settleOrphan deletes it; were it to have some, they could be resumed.
  new: { claim: 'starting', orphan: 'interrupted' },
  starting: {
    run: 'running',
    pause: 'paused',
    stopping: 'stopping',
    finish: 'done',
    fail: 'failed',
    release: 'paused',
    orphan: 'interrupted',
  },
  running: {
    pause: 'paused',
    stopping: 'stopping',
    finish: 'done',
    fail: 'failed',
    release: 'paused',
    orphan: 'interrupted',
  },
  // A pause saves everything before it is announced: a paused group with no worker behind it lost nothing.
  paused: {
    claim: 'starting',
    run: 'running',
    stopping: 'stopping',
    finish: 'done',
    fail: 'failed',
    release: 'paused',
    orphan: 'paused',
  },
  stopping: { stop: 'stopped', finish: 'done', fail: 'failed', orphan: 'interrupted' },
  interrupted: { claim: 'starting', orphan: 'interrupted' },
  stopped: { claim: 'starting', orphan: 'stopped' },
  failed: { claim: 'starting', orphan: 'failed' },
  done: { orphan: 'done' },
};

export class StatusError extends Error {
  constructor(
    readonly from: GroupStatus,
    readonly change: StatusChange,
  ) {
    super(`a ${from} group cannot ${change}`);
    this.name = 'StatusError';
  }
}

/** The status after `change`; a change that cannot happen in `from` is a bug and throws a StatusError. */
export function nextStatus(from: GroupStatus, change: StatusChange): GroupStatus {
  const to = MOVES[from][change];
  if (to === undefined) throw new StatusError(from, change);
  return to;
}

/** Whether `change` can happen in `from`. */
export function canChange(from: GroupStatus, change: StatusChange): boolean {
  return MOVES[from][change] !== undefined;
}

/** The change a session event makes, if any (the session's own status words are this vocabulary's). */
export function changeOf(e: SessionEvent): StatusChange | null {
  switch (e.type) {
    case 'status':
      return e.status === 'running' ? 'run' : e.status === 'paused' ? 'pause' : 'stopping';
    case 'done':
      return e.reason === 'stopped' ? 'stop' : 'finish';
    case 'error':
      return 'fail';
    default:
      return null;
  }
}

/** A worker should stand behind a group in these: it holds the group's lock. */
export function isLive(status: GroupStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'paused' || status === 'stopping';
}

/** A new worker may take the group from its saved state (or from scratch, when new). */
export function isResumable(status: GroupStatus): boolean {
  return canChange(status, 'claim');
}

/**
 * What becomes of a stored group that no worker stands behind (found on opening, or after its worker crashed): a
 * group that never reached a checkpoint leaves no entry behind; one caught running, starting or stopping is
 * interrupted (Resume continues from its last saved state); the others keep their status.
 */
export function settleOrphan(record: {
  status: GroupStatus;
  checkpoints: number;
}): { delete: true } | { delete: false; status: GroupStatus } {
  if (record.checkpoints === 0) return { delete: true };
  return { delete: false, status: nextStatus(record.status, 'orphan') };
}
