/** The group status machine: every move written out, every refused one refused, and every stale record settled. */
import { describe, expect, it } from 'vitest';
import {
  canChange,
  changeOf,
  GROUP_STATUSES,
  isLive,
  isResumable,
  nextStatus,
  settleOrphan,
  STATUS_CHANGES,
  StatusError,
  type GroupStatus,
  type StatusChange,
} from '../../src/train/groupStatus.ts';

/** The whole table, written out independently of the module: [from, change, to]. */
const MOVES: [GroupStatus, StatusChange, GroupStatus][] = [
  ['new', 'claim', 'starting'],
  ['new', 'orphan', 'interrupted'],
  ['starting', 'run', 'running'],
  ['starting', 'pause', 'paused'],
  ['starting', 'stopping', 'stopping'],
  ['starting', 'finish', 'done'],
  ['starting', 'fail', 'failed'],
  ['starting', 'release', 'paused'],
  ['starting', 'orphan', 'interrupted'],
  ['running', 'pause', 'paused'],
  ['running', 'stopping', 'stopping'],
  ['running', 'finish', 'done'],
  ['running', 'fail', 'failed'],
  ['running', 'release', 'paused'],
  ['running', 'orphan', 'interrupted'],
  ['paused', 'claim', 'starting'],
  ['paused', 'run', 'running'],
  ['paused', 'stopping', 'stopping'],
  ['paused', 'finish', 'done'],
  ['paused', 'fail', 'failed'],
  ['paused', 'release', 'paused'],
  ['paused', 'orphan', 'paused'],
  ['stopping', 'stop', 'stopped'],
  ['stopping', 'finish', 'done'],
  ['stopping', 'fail', 'failed'],
  ['stopping', 'orphan', 'interrupted'],
  ['interrupted', 'claim', 'starting'],
  ['interrupted', 'orphan', 'interrupted'],
  ['stopped', 'claim', 'starting'],
  ['stopped', 'orphan', 'stopped'],
  ['failed', 'claim', 'starting'],
  ['failed', 'orphan', 'failed'],
  ['done', 'orphan', 'done'],
];

describe('the group status machine', () => {
  for (const from of GROUP_STATUSES)
    for (const change of STATUS_CHANGES) {
      const move = MOVES.find(([f, c]) => f === from && c === change);
      if (move)
        it(`${from} --${change}--> ${move[2]}`, () => {
          expect(nextStatus(from, change)).toBe(move[2]);
          expect(canChange(from, change)).toBe(true);
        });
      else
        it(`${from} cannot ${change}`, () => {
          expect(canChange(from, change)).toBe(false);
          expect(() => nextStatus(from, change)).toThrow(StatusError);
          expect(() => nextStatus(from, change)).toThrow(`a ${from} group cannot ${change}`);
        });
    }

  it('every status can be found with no worker behind it (orphan is defined everywhere)', () => {
    for (const s of GROUP_STATUSES) expect(canChange(s, 'orphan'), s).toBe(true);
  });

  it('a worker stands behind exactly the live statuses; every status but done can be taken up again', () => {
    expect(GROUP_STATUSES.filter(isLive)).toEqual(['starting', 'running', 'paused', 'stopping']);
    expect(GROUP_STATUSES.filter(isResumable)).toEqual(['new', 'paused', 'interrupted', 'stopped', 'failed']);
  });

  it("the session's events are changes of this vocabulary; the others change nothing", () => {
    expect(changeOf({ type: 'status', status: 'running' })).toBe('run');
    expect(changeOf({ type: 'status', status: 'paused' })).toBe('pause');
    expect(changeOf({ type: 'status', status: 'stopping' })).toBe('stopping');
    const done = {
      type: 'done' as const,
      epoch: 1,
      batch: 0,
      stepsDone: 4,
      totalSteps: 4,
      stepsRun: 4,
      elapsedSeconds: 1,
      checkpoints: 1,
      diverged: [],
    };
    expect(changeOf({ ...done, reason: 'complete' })).toBe('finish');
    expect(changeOf({ ...done, reason: 'all-diverged' })).toBe('finish');
    expect(changeOf({ ...done, reason: 'stopped' })).toBe('stop');
    expect(changeOf({ type: 'error', message: 'x' })).toBe('fail');
    expect(changeOf({ type: 'checkpoint', step: 4, epoch: 1, rows: [] })).toBeNull();
    expect(changeOf({ type: 'diverged', seed: 0, step: 4, reason: 'nan' })).toBeNull();
    expect(changeOf({ type: 'saved', reason: 'interval', stepsDone: 4, checkpoints: 1, stateBytes: 10 })).toBeNull();
  });

  it('a full run, a pause and resume, a stop, and a hand-over to another tab follow the table', () => {
    const walk = (changes: StatusChange[], from: GroupStatus = 'new') =>
      changes.reduce<GroupStatus[]>((path, c) => [...path, nextStatus(path.at(-1)!, c)], [from]);
    expect(walk(['claim', 'run', 'finish'])).toEqual(['new', 'starting', 'running', 'done']);
    expect(walk(['claim', 'run', 'pause', 'run', 'stopping', 'stop'])).toEqual([
      'new',
      'starting',
      'running',
      'paused',
      'running',
      'stopping',
      'stopped',
    ]);
    // Handed over: the first tab's worker releases it paused, the second claims it.
    expect(walk(['claim', 'run', 'release', 'claim', 'run', 'finish'])).toEqual([
      'new',
      'starting',
      'running',
      'paused',
      'starting',
      'running',
      'done',
    ]);
    // One step from a stored group: claimed, stepped, paused.
    expect(walk(['claim', 'pause'], 'stopped')).toEqual(['stopped', 'starting', 'paused']);
  });
});

describe('a stored record that no worker stands behind (on opening, or after its worker crashed)', () => {
  const expected: Record<GroupStatus, GroupStatus> = {
    new: 'interrupted',
    starting: 'interrupted',
    running: 'interrupted',
    paused: 'paused',
    stopping: 'interrupted',
    interrupted: 'interrupted',
    stopped: 'stopped',
    done: 'done',
    failed: 'failed',
  };
  for (const status of GROUP_STATUSES) {
    it(`${status} with checkpoints becomes ${expected[status]}; with none it leaves no entry`, () => {
      expect(settleOrphan({ status, checkpoints: 3 })).toEqual({ delete: false, status: expected[status] });
      expect(settleOrphan({ status, checkpoints: 0 })).toEqual({ delete: true });
    });
  }

  it('what an opening settles can be resumed, except a finished group', () => {
    for (const status of GROUP_STATUSES) {
      const next = settleOrphan({ status, checkpoints: 1 });
      if (next.delete) continue;
      expect(isLive(next.status) && next.status !== 'paused', `${status} → ${next.status}`).toBe(false);
      expect(isResumable(next.status), `${status} → ${next.status}`).toBe(next.status !== 'done');
    }
  });
});
